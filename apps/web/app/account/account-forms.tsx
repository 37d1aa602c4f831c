"use client";
import { useState, type FormEvent } from "react";
import type { TokenView } from "@arbiter/core/client";
import { CopyableSecret } from "@/components/account/copyable-secret";
import { callApi } from "@/lib/api-client";
import { TokenTable } from "@/components/account/token-table";

export function AccountForms({ email, initialTokens, maxTokenDays }: { email: string; initialTokens: TokenView[]; maxTokenDays: number }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [created, setCreated] = useState<{ name: string; token: string; expiresAt: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const reloadTokens = async () => setTokens(await callApi<TokenView[]>("/api/v1/tokens"));

  async function run(work: () => Promise<string | null>) {
    setError(null);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (e) {
      setError((e as Error).message);
    }
  }

  function onCreateToken(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setCreated(null);
    void run(async () => {
      const days = Number(form.get("days"));
      const result = await callApi<{ token: string; name: string; expiresAt: string }>("/api/v1/tokens", {
        body: { email, password: form.get("password"), name: form.get("name") || undefined, ...(days > 0 ? { expiresInDays: days } : {}) },
      });
      setCreated(result);
      formElement.reset();
      await reloadTokens();
      return null;
    });
  }

  function onRevoke(token: TokenView) {
    setBusyId(token.id);
    void run(async () => {
      await callApi(`/api/v1/tokens/${token.id}`, { method: "DELETE" });
      await reloadTokens();
      return `Revoked token “${token.name}” (${token.prefix}…).`;
    }).finally(() => setBusyId(null));
  }

  function onChangePassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void run(async () => {
      if (form.get("newPassword") !== form.get("confirmPassword")) throw new Error("The new passwords do not match.");
      const result = await callApi<{ revokedTokens: number; endedSessions: number }>("/api/v1/me/password", {
        body: { currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") },
      });
      formElement.reset();
      await reloadTokens();
      return `Password changed. Signed out ${result.endedSessions} other session${result.endedSessions === 1 ? "" : "s"} and revoked ${result.revokedTokens} API token${result.revokedTokens === 1 ? "" : "s"}.`;
    });
  }

  return (
    <>
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <section className="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">API tokens</h2>
        <p className="muted">
          Tokens let scripts use the API as you (see the <a href="/docs/api">API reference</a>). Each expires (at most {maxTokenDays} days); revoke any you no
          longer use.
        </p>
        <TokenTable label="Your API tokens" tokens={tokens} onRevoke={onRevoke} busyId={busyId} />
        <h3>New token</h3>
        <form className="grid-form" onSubmit={onCreateToken} aria-label="New API token">
          <div>
            <label htmlFor="token-name">Token name</label>
            <input id="token-name" name="name" maxLength={100} placeholder="script" />
          </div>
          <div>
            <label htmlFor="token-days">Expires in (days)</label>
            <input id="token-days" name="days" type="number" min={1} max={maxTokenDays} defaultValue={Math.min(30, maxTokenDays)} />
          </div>
          <div>
            <label htmlFor="token-password">Your password</label>
            <input id="token-password" name="password" type="password" required autoComplete="current-password" />
          </div>
          <div>
            <button type="submit" className="primary">
              Create token
            </button>
          </div>
        </form>
        {created && (
          <div role="status" className="notice" aria-label="New token" style={{ marginTop: "0.75rem" }}>
            <p>
              Token “{created.name}” created, valid until {created.expiresAt.slice(0, 10)}. <strong>Copy it now: it is not shown again.</strong>
            </p>
            <CopyableSecret label="Token secret" value={created.token} />
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <p className="muted">Changing your password signs you out everywhere else and revokes all your API tokens.</p>
        <form className="grid-form" onSubmit={onChangePassword} aria-label="Change password">
          <div>
            <label htmlFor="current-password">Current password</label>
            <input id="current-password" name="currentPassword" type="password" required autoComplete="current-password" />
          </div>
          <div>
            <label htmlFor="new-password">New password</label>
            <input id="new-password" name="newPassword" type="password" required minLength={8} autoComplete="new-password" />
          </div>
          <div>
            <label htmlFor="confirm-password">Repeat new password</label>
            <input id="confirm-password" name="confirmPassword" type="password" required minLength={8} autoComplete="new-password" />
          </div>
          <div>
            <button type="submit" className="primary">
              Change password
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
