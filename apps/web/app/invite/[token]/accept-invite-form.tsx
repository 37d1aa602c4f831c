"use client";
import { useState, type FormEvent } from "react";
import { callApi } from "@/lib/api-client";

export function AcceptInviteForm({ token, email }: { token: string; email: string | null }) {
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const created = await callApi<{ email: string }>("/api/v1/invites/accept", {
        body: {
          token,
          password: form.get("password"),
          ...(form.get("name") ? { name: form.get("name") } : {}),
          ...(email ? {} : { email: form.get("email") }),
        },
        fallbackMessage: "Something went wrong.",
      });
      // The account exists now: the sign-in page says so, with the e-mail filled in.
      window.location.href = `/login?${new URLSearchParams({ invited: "1", email: created.email })}`;
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit}>
      {email ? (
        <p>
          Email: <strong>{email}</strong>
        </p>
      ) : (
        <>
          <label htmlFor="invite-email">Your email</label>
          <input id="invite-email" name="email" type="email" required style={{ width: "100%" }} />
        </>
      )}
      <label htmlFor="invite-name">Your name</label>
      <input id="invite-name" name="name" autoComplete="name" style={{ width: "100%" }} />
      <label htmlFor="invite-password">Choose a password</label>
      <input id="invite-password" name="password" type="password" minLength={8} required autoComplete="new-password" style={{ width: "100%" }} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        <button type="submit" className="primary">
          Create account
        </button>
      </p>
    </form>
  );
}
