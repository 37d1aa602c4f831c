"use client";
import { Fragment, useState } from "react";
import { useRouter } from "next/navigation";
import type { TokenView, UserView } from "@arbiter/core/client";
import { CopyableSecret } from "@/components/account/copyable-secret";
import { callApi } from "@/lib/api-client";
import { TokenTable } from "@/components/account/token-table";

type Panel = { userId: string; kind: "reset"; url: string; expiresAt: string } | { userId: string; kind: "tokens"; tokens: TokenView[] };

/** Users with what an admin does to an account: disable / enable, a password reset link, their API tokens. */
export function UsersTable({ users, selfId }: { users: UserView[]; selfId: string }) {
  const router = useRouter();
  const [panel, setPanel] = useState<Panel | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function run(key: string, work: () => Promise<string | null>) {
    setBusy(key);
    setError(null);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  }

  const setStatus = (user: UserView, status: "active" | "disabled") => {
    if (
      status === "disabled" &&
      !window.confirm(`Disable ${user.email}? They are signed out at once, their API tokens are revoked and their open tasks go back to the pool.`)
    )
      return;
    void run(`status:${user.id}`, async () => {
      const result = await callApi<{ revokedTokens: number; endedSessions: number; releasedLeases: number }>(`/api/v1/users/${user.id}/status`, {
        body: { status },
      });
      router.refresh();
      return status === "disabled"
        ? `Disabled ${user.email}: ${result.endedSessions} session(s) ended, ${result.revokedTokens} token(s) revoked, ${result.releasedLeases} open task(s) released.`
        : `Enabled ${user.email}. They can sign in again (their old tokens stay revoked).`;
    });
  };

  const issueReset = (user: UserView) =>
    run(`reset:${user.id}`, async () => {
      const link = await callApi<{ url: string; expiresAt: string }>(`/api/v1/users/${user.id}/password-reset`, { body: {} });
      setPanel({ userId: user.id, kind: "reset", url: link.url, expiresAt: link.expiresAt });
      return null;
    });

  const showTokens = (user: UserView) =>
    run(`tokens:${user.id}`, async () => {
      setPanel({ userId: user.id, kind: "tokens", tokens: await callApi<TokenView[]>(`/api/v1/users/${user.id}/tokens`) });
      return null;
    });

  const revoke = (user: UserView, token: TokenView) =>
    run(`revoke:${token.id}`, async () => {
      await callApi(`/api/v1/tokens/${token.id}`, { method: "DELETE" });
      setPanel({ userId: user.id, kind: "tokens", tokens: await callApi<TokenView[]>(`/api/v1/users/${user.id}/tokens`) });
      return `Revoked token “${token.name}” of ${user.email}.`;
    });

  return (
    <section aria-label="User accounts">
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
      <div style={{ overflowX: "auto" }}>
        <table aria-label="Users">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>Status</th>
              <th>Created</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <Fragment key={u.id}>
                <tr data-user-email={u.email}>
                  <td>
                    {u.email}
                    {u.id === selfId && (
                      <>
                        {" "}
                        <span className="badge">you</span>
                      </>
                    )}
                  </td>
                  <td>{u.name}</td>
                  <td>{u.role}</td>
                  <td>{u.disabled ? <strong className="error">disabled</strong> : "active"}</td>
                  <td>{u.createdAt.slice(0, 10)}</td>
                  <td className="user-actions">
                    <button type="button" disabled={busy !== null} onClick={() => issueReset(u)} aria-label={`Password reset link for ${u.email}`}>
                      Reset link
                    </button>
                    <button
                      type="button"
                      disabled={busy !== null}
                      onClick={() => (panel?.kind === "tokens" && panel.userId === u.id ? setPanel(null) : showTokens(u))}
                      aria-label={`API tokens of ${u.email}`}
                      aria-expanded={panel?.kind === "tokens" && panel.userId === u.id}
                    >
                      Tokens
                    </button>
                    {u.id !== selfId &&
                      (u.disabled ? (
                        <button type="button" disabled={busy !== null} onClick={() => setStatus(u, "active")} aria-label={`Enable ${u.email}`}>
                          Enable
                        </button>
                      ) : (
                        <button type="button" disabled={busy !== null} onClick={() => setStatus(u, "disabled")} aria-label={`Disable ${u.email}`}>
                          Disable
                        </button>
                      ))}
                  </td>
                </tr>
                {panel?.userId === u.id && (
                  <tr>
                    <td colSpan={6}>
                      {panel.kind === "reset" ? (
                        <div role="region" aria-label={`Reset link for ${u.email}`}>
                          <p>
                            Send this link to {u.email} over a channel you trust. It works once, until {panel.expiresAt.slice(0, 16).replace("T", " ")} UTC;
                            using it signs them out everywhere and revokes their API tokens. Issuing another link makes this one worthless.
                          </p>
                          <CopyableSecret label={`Reset link for ${u.email}`} value={panel.url} />
                        </div>
                      ) : (
                        <div role="region" aria-label={`API tokens of ${u.email}`}>
                          <TokenTable
                            label={`Tokens of ${u.email}`}
                            tokens={panel.tokens}
                            onRevoke={(t) => revoke(u, t)}
                            busyId={busy?.startsWith("revoke:") ? busy.slice(7) : null}
                          />
                        </div>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
