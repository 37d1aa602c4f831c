"use client";
import { useState, type FormEvent } from "react";
import type { SecretView } from "@arbiter/core/client";
import { formatTime } from "@/components/account/format-time";
import { callApi } from "@/lib/api-client";
import styles from "./routing.module.css";

function originOf(url: string | undefined): string {
  try {
    return url ? new URL(url).origin : "";
  } catch {
    return "";
  }
}

/**
 * Store, replace or delete the campaign's secrets (judge API keys). Values go in and never come
 * back; each secret is sent only to the endpoint (origin) it was stored for.
 */
export function SecretsPanel(props: { campaignId: string; secrets: SecretView[]; judgeBaseUrl?: string; onChanged: () => Promise<void> }) {
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function store(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    const origin = String(data.get("origin") ?? "").trim();
    setBusy(true);
    setStatus(null);
    try {
      const stored = await callApi<SecretView>(`/api/v1/campaigns/${props.campaignId}/secrets/${encodeURIComponent(name)}`, {
        method: "PUT",
        body: { value: String(data.get("value") ?? ""), ...(origin ? { origin } : {}) },
      });
      form.reset();
      setStatus({
        ok: true,
        text: `Stored the secret “${name}” (encrypted${stored.origin ? `, sent only to ${stored.origin}` : "; bound to the first endpoint it is used with"}). Choose it as the judge's API key above.`,
      });
      await props.onChanged();
    } catch (error) {
      setStatus({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  async function remove(name: string) {
    if (!window.confirm(`Delete the secret “${name}”? A judge that uses it stops working until it is stored again.`)) return;
    setBusy(true);
    try {
      await callApi(`/api/v1/campaigns/${props.campaignId}/secrets/${encodeURIComponent(name)}`, { method: "DELETE" });
      setStatus({ ok: true, text: `Deleted “${name}”.` });
      await props.onChanged();
    } catch (error) {
      setStatus({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="secrets-title">
      <h2 id="secrets-title">Secrets</h2>
      <p className="muted">
        API keys are encrypted (AES-256-GCM under the server&apos;s secret key) and can only be replaced or deleted, never read back. Each is sent only to the
        endpoint it was stored for; to use a key with another endpoint, store it again for that one.
      </p>
      {props.secrets.length > 0 && (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Sent only to</th>
                <th>Stored</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.secrets.map((s) => (
                <tr key={s.name}>
                  <td>
                    <code>{s.name}</code>
                  </td>
                  <td>{s.origin ? <code>{s.origin}</code> : <span className="muted">the first endpoint it is used with</span>}</td>
                  <td>{formatTime(s.createdAt)}</td>
                  <td>
                    <button type="button" disabled={busy} onClick={() => remove(s.name)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className={styles.form} onSubmit={store} autoComplete="off">
        <label htmlFor="secret-name">
          Name
          <input id="secret-name" name="name" required maxLength={100} pattern="[A-Za-z0-9_.\-]+" placeholder="openai-key" />
        </label>
        <label htmlFor="secret-value">
          Value
          <input id="secret-value" name="value" type="password" required maxLength={16384} autoComplete="new-password" />
        </label>
        <label htmlFor="secret-origin">
          Endpoint
          <span className={styles.hint}>The only origin this key is sent to; default: the judge&apos;s saved base URL.</span>
          <input
            id="secret-origin"
            name="origin"
            type="url"
            maxLength={2000}
            placeholder="https://api.openai.com"
            defaultValue={originOf(props.judgeBaseUrl)}
            key={originOf(props.judgeBaseUrl)}
          />
        </label>
        <div>
          <button type="submit" className="primary" disabled={busy}>
            Store secret
          </button>
        </div>
      </form>
      {status && (
        <p role={status.ok ? "status" : "alert"} className={status.ok ? styles.ok : "error"}>
          {status.text}
        </p>
      )}
    </section>
  );
}
