"use client";
import { useState, type FormEvent } from "react";

export function AcceptInviteForm({ token, email }: { token: string; email: string | null }) {
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const response = await fetch("/api/v1/invites/accept", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, password: form.get("password"), ...(form.get("name") ? { name: form.get("name") } : {}), ...(email ? {} : { email: form.get("email") }) }),
    });
    if (response.ok) window.location.href = "/login";
    else setError((await response.json().catch(() => null))?.error?.message ?? "Something went wrong.");
  }

  return (
    <form className="card" onSubmit={onSubmit}>
      {email ? <p>Email: <strong>{email}</strong></p> : (<><label htmlFor="invite-email">Your email</label><input id="invite-email" name="email" type="email" required style={{ width: "100%" }} /></>)}
      <label htmlFor="invite-name">Your name</label>
      <input id="invite-name" name="name" autoComplete="name" style={{ width: "100%" }} />
      <label htmlFor="invite-password">Choose a password</label>
      <input id="invite-password" name="password" type="password" minLength={8} required autoComplete="new-password" style={{ width: "100%" }} />
      {error && <p role="alert" className="error">{error}</p>}
      <p><button type="submit" className="primary">Create account</button></p>
    </form>
  );
}
