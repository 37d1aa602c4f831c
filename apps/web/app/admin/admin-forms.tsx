"use client";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { callApi } from "@/lib/api-client";

export function AdminForms({ campaigns }: { campaigns: Array<{ id: string; name: string }> }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function handler(action: (form: FormData) => Promise<string>) {
    return async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const formElement = event.currentTarget;
      setError(null);
      setMessage(null);
      try {
        setMessage(await action(new FormData(formElement)));
        formElement.reset();
        router.refresh();
      } catch (e) {
        setError((e as Error).message);
      }
    };
  }

  return (
    <section aria-label="Create">
      {message && (
        <p role="status" className="notice" style={{ wordBreak: "break-all" }}>
          {message}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="card">
        <h2>New campaign</h2>
        <form
          className="grid-form"
          onSubmit={handler(async (f) => {
            const created = await callApi<{ name: string }>("/api/v1/campaigns", {
              body: { name: f.get("name"), taskType: f.get("taskType"), config: { overlap: Number(f.get("overlap")) } },
            });
            return `Created campaign “${created.name}” (draft).`;
          })}
        >
          <div>
            <label htmlFor="campaign-name">Campaign name</label>
            <input id="campaign-name" name="name" required />
          </div>
          <div>
            <label htmlFor="campaign-task">Task type</label>
            <select id="campaign-task" name="taskType" defaultValue="pairwise">
              <option value="pairwise">Pairwise</option>
              <option value="kwise">K-wise ranking</option>
              <option value="rationale">Rationale</option>
            </select>
          </div>
          <div>
            <label htmlFor="campaign-overlap">Overlap (judgments per item)</label>
            <input id="campaign-overlap" name="overlap" type="number" min={1} max={50} defaultValue={3} />
          </div>
          <div>
            <button type="submit" className="primary">
              Create campaign
            </button>
          </div>
        </form>
      </div>
      <div className="card">
        <h2>New user</h2>
        <form
          className="grid-form"
          onSubmit={handler(async (f) => {
            const password = String(f.get("password") ?? "");
            const user = await callApi<{ email: string; inviteUrl?: string }>("/api/v1/users", {
              body: {
                email: f.get("email"),
                role: f.get("role"),
                ...(password ? { password } : {}),
                ...(f.get("campaignId") ? { campaignId: f.get("campaignId") } : {}),
              },
            });
            return user.inviteUrl ? `Created ${user.email}. Send them this link to set a password: ${user.inviteUrl}` : `Created ${user.email}.`;
          })}
        >
          <div>
            <label htmlFor="user-email">User email</label>
            <input id="user-email" name="email" type="email" required />
          </div>
          <div>
            <label htmlFor="user-role">Role</label>
            <select id="user-role" name="role" defaultValue="annotator">
              <option value="annotator">Annotator</option>
              <option value="researcher">Researcher</option>
              <option value="admin">Admin</option>
            </select>
          </div>
          <div>
            <label htmlFor="user-password">Initial password (optional)</label>
            <input id="user-password" name="password" type="password" minLength={8} autoComplete="new-password" />
          </div>
          <div>
            <label htmlFor="user-campaign">Add to campaign</label>
            <select id="user-campaign" name="campaignId" defaultValue="">
              <option value="">None</option>
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit" className="primary">
              Create user
            </button>
          </div>
        </form>
      </div>
      <div className="card">
        <h2>Invite link</h2>
        <form
          className="grid-form"
          onSubmit={handler(async (f) => {
            const invite = await callApi<{ url: string; expiresAt: string }>("/api/v1/invites", {
              body: {
                role: "annotator",
                ...(f.get("email") ? { email: f.get("email") } : {}),
                ...(f.get("campaignId") ? { campaignId: f.get("campaignId") } : {}),
              },
            });
            return `Invite link (single use, until ${invite.expiresAt.slice(0, 10)}): ${invite.url}`;
          })}
        >
          <div>
            <label htmlFor="invite-email">Invitee email (optional)</label>
            <input id="invite-email" name="email" type="email" />
          </div>
          <div>
            <label htmlFor="invite-campaign">Campaign</label>
            <select id="invite-campaign" name="campaignId" defaultValue="">
              <option value="">None</option>
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit" className="primary">
              Create invite link
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
