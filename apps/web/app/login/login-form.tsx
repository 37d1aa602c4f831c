"use client";
import { useState, type FormEvent } from "react";
import { ApiCallError, callApi } from "@/lib/api-client";

/** `email`: filled in (from an invite just accepted), the password field focused. */
export function LoginForm({ email }: { email?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    try {
      await callApi("/api/auth/sign-in/email", { body: { email: form.get("email"), password: form.get("password") } });
      window.location.href = "/";
    } catch (e) {
      setBusy(false);
      const failure = e instanceof ApiCallError ? e : null;
      if (failure?.status === 429) setError("Too many attempts. Wait a minute and try again.");
      else if (failure?.status === 403 && failure.code === "ACCOUNT_DISABLED") setError("This account is disabled. Ask your admin.");
      else if (!failure || failure.unreachable) setError("Cannot reach the server. Check your connection.");
      else setError("Email or password is incorrect.");
    }
  }

  return (
    <form onSubmit={onSubmit} className="card" noValidate>
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="username" required autoFocus={!email} defaultValue={email} style={{ width: "100%" }} />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required autoFocus={Boolean(email)} style={{ width: "100%" }} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </p>
    </form>
  );
}
