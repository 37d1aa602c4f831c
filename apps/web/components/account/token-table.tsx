"use client";
import type { TokenView } from "@arbiter/core/client";
import { formatTime } from "./format-time";

/** API tokens as a table (name, prefix, dates, status) with a Revoke button on live ones. */
export function TokenTable({
  label,
  tokens,
  onRevoke,
  busyId,
}: {
  label: string;
  tokens: TokenView[];
  onRevoke: (token: TokenView) => void;
  busyId?: string | null;
}) {
  if (tokens.length === 0) return <p className="muted">No API tokens.</p>;
  return (
    <div style={{ overflowX: "auto" }}>
      <table aria-label={label}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Token</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Expires</th>
            <th>Status</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-token-id={t.id}>
              <td>
                {t.name}
                {t.current && (
                  <>
                    {" "}
                    <span className="badge">this request</span>
                  </>
                )}
              </td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{formatTime(t.createdAt)}</td>
              <td>{formatTime(t.lastUsedAt)}</td>
              <td>{formatTime(t.expiresAt)}</td>
              <td>{t.status === "revoked" ? `revoked ${formatTime(t.revokedAt)}` : t.status}</td>
              <td>
                {t.status === "active" && (
                  <button type="button" disabled={busyId === t.id} onClick={() => onRevoke(t)} aria-label={`Revoke token ${t.name} (${t.prefix}…)`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
