"use client";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { callApi } from "@/lib/api-client";

interface Member {
  userId: string;
  email: string;
  name: string;
  status: string;
  pauseReason: string | null;
  judgments: number;
}

/** Members of a campaign: add an existing user by e-mail, or create a single-use invite link. */
export function MembersPanel({ campaignId }: { campaignId: string }) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [email, setEmail] = useState("");
  const [inviteEmail, setInviteEmail] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [invite, setInvite] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setMembers(await callApi<Member[]>(`/api/v1/campaigns/${campaignId}/members`));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [campaignId]);
  useEffect(() => {
    void load();
  }, [load]);

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setMessage(null);
    try {
      const added = await callApi<{ email: string }>(`/api/v1/campaigns/${campaignId}/members`, { body: { email } });
      setMessage(`Added ${added.email}.`);
      setEmail("");
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function createInvite(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setInvite(null);
    try {
      setInvite(
        await callApi<{ url: string; expiresAt: string }>("/api/v1/invites", {
          body: { role: "annotator", campaignId, ...(inviteEmail.trim() ? { email: inviteEmail.trim() } : {}) },
        }),
      );
      setInviteEmail("");
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section className="card" aria-label="Members">
      <h2>Members</h2>
      {members === null ? (
        <p className="muted">Loading…</p>
      ) : members.length === 0 ? (
        <p className="muted">No annotators yet.</p>
      ) : (
        <table aria-label="Campaign members">
          <thead>
            <tr>
              <th>Email</th>
              <th>Status</th>
              <th>Judgments</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>{m.email}</td>
                <td>
                  {m.status}
                  {m.pauseReason ? ` (${m.pauseReason})` : ""}
                </td>
                <td>{m.judgments}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="grid-form" onSubmit={add}>
        <div>
          <label htmlFor="member-email">Add an annotator by email</label>
          <input id="member-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div>
          <button type="submit">Add member</button>
        </div>
      </form>
      <form className="grid-form" onSubmit={createInvite}>
        <div>
          <label htmlFor="member-invite-email">Or invite someone new (email optional)</label>
          <input id="member-invite-email" type="email" value={inviteEmail} onChange={(e) => setInviteEmail(e.target.value)} />
        </div>
        <div>
          <button type="submit">Create invite link</button>
        </div>
      </form>
      {message && <p role="status">{message}</p>}
      {invite && (
        <p role="status" className="notice invite-link">
          Single-use invite link (until {invite.expiresAt.slice(0, 10)}):{" "}
          <input readOnly aria-label="Invite link" value={invite.url} onFocus={(e) => e.currentTarget.select()} />
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
