"use client";
import { useState, type FormEvent } from "react";
import { ApiCallError, callApi } from "@/lib/api-client";

export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (form.get("password") !== form.get("confirm")) {
      setError("The passwords do not match.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await callApi("/api/v1/password-resets/accept", { body: { token, password: form.get("password") }, fallbackMessage: "Something went wrong." });
      window.location.href = "/login?reset=1";
    } catch (e) {
      setBusy(false);
      setError(e instanceof ApiCallError && !e.unreachable ? e.message : "Cannot reach the server. Check your connection.");
    }
  }

  return (
    <form className="card" onSubmit={onSubmit}>
      <p>
        Account: <strong>{email}</strong>
      </p>
      <p className="muted">Setting a new password signs this account out everywhere and revokes its API tokens.</p>
      <label htmlFor="reset-password">New password</label>
      <input id="reset-password" name="password" type="password" minLength={8} required autoComplete="new-password" style={{ width: "100%" }} />
      <label htmlFor="reset-confirm">Repeat new password</label>
      <input id="reset-confirm" name="confirm" type="password" minLength={8} required autoComplete="new-password" style={{ width: "100%" }} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        <button type="submit" className="primary" disabled={busy}>
          Set password
        </button>
      </p>
    </form>
  );
}
