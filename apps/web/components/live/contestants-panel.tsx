"use client";

import { useState } from "react";
import type { ContestantTestResult } from "@arbiter/core/client";
import { ApiCallError, callApi } from "@/lib/api-client";

interface Contestant {
  name: string;
  baseUrl: string;
  model: string;
  apiKeyRef?: { secret: string } | { env: string } | null;
  temperature?: number | null;
  maxOutputTokens?: number;
  timeoutMs?: number;
  maxConcurrency?: number;
}

interface Live {
  enabled?: boolean;
  k?: number;
  promptSource?: "annotator" | "pool" | "both";
  maxPromptChars?: number;
  battlesPerMinute?: number;
  flagIdentity?: boolean;
  contestants: Contestant[];
}

const empty = { name: "", baseUrl: "", model: "", secret: "", maxOutputTokens: "1024", timeoutMs: "60000" };

/**
 * The contestants of a live campaign: the list, a form to add one, and "Send a test prompt"
 * (one streamed answer through the server, as a battle would ask it, nothing saved). Saving
 * writes the whole `config.live` block with PATCH /campaigns/:id; at least two are needed.
 */
export function ContestantsPanel(props: { campaignId: string; taskType: string; canEdit: boolean; initialLive: Live | null }) {
  const [live, setLive] = useState<Live>(props.initialLive ?? { promptSource: "annotator", contestants: [] });
  const [form, setForm] = useState(empty);
  const [prompt, setPrompt] = useState("Say hello in one short sentence.");
  const [result, setResult] = useState<ContestantTestResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const draft = (): Contestant => ({
    name: form.name.trim(),
    baseUrl: form.baseUrl.trim(),
    model: form.model.trim(),
    apiKeyRef: form.secret.trim() ? { secret: form.secret.trim() } : null,
    maxOutputTokens: Number(form.maxOutputTokens),
    timeoutMs: Number(form.timeoutMs),
  });

  const save = async (contestants: Contestant[]) => {
    setBusy(true);
    setMessage(null);
    try {
      await callApi(`/api/v1/campaigns/${props.campaignId}`, { method: "PATCH", body: { config: { live: { ...live, enabled: true, contestants } } } });
      setLive({ ...live, contestants });
      setMessage("Saved.");
      return true;
    } catch (e) {
      setMessage(e instanceof ApiCallError ? e.message : "Could not save.");
      return false;
    } finally {
      setBusy(false);
    }
  };

  const test = async () => {
    setBusy(true);
    setResult(null);
    setMessage(null);
    try {
      setResult(await callApi<ContestantTestResult>(`/api/v1/campaigns/${props.campaignId}/live/test`, { body: { contestant: draft(), prompt } }));
    } catch (e) {
      setMessage(e instanceof ApiCallError ? e.message : "The test failed.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-label="Contestants">
      <h2>Contestants ({live.contestants.length})</h2>
      {props.taskType === "rationale" && <p className="form-error">Live battles need a pairwise or K-wise campaign.</p>}
      <table>
        <thead>
          <tr>
            <th>Name (revealed after the vote)</th>
            <th>Model</th>
            <th>Endpoint</th>
            <th>Key</th>
            {props.canEdit && <th />}
          </tr>
        </thead>
        <tbody>
          {live.contestants.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>{c.model}</td>
              <td>{c.baseUrl}</td>
              <td>{c.apiKeyRef ? ("secret" in c.apiKeyRef ? `secret ${c.apiKeyRef.secret}` : `env ${c.apiKeyRef.env}`) : "none"}</td>
              {props.canEdit && (
                <td>
                  <button
                    type="button"
                    className="button"
                    disabled={busy || live.contestants.length <= 2}
                    onClick={() => void save(live.contestants.filter((x) => x !== c))}
                  >
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {props.canEdit && (
        <form
          className="grid-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save([...live.contestants, draft()]).then((ok) => ok && setForm(empty));
          }}
        >
          <label>
            Name
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
          </label>
          <label>
            Base URL
            <input value={form.baseUrl} placeholder="http://vllm.internal:8000/v1" onChange={(e) => setForm({ ...form, baseUrl: e.target.value })} required />
          </label>
          <label>
            Model
            <input value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} required />
          </label>
          <label>
            Key (campaign secret name, optional)
            <input value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} />
          </label>
          <label>
            Max tokens
            <input type="number" min={1} value={form.maxOutputTokens} onChange={(e) => setForm({ ...form, maxOutputTokens: e.target.value })} />
          </label>
          <label>
            Timeout (ms)
            <input type="number" min={1000} value={form.timeoutMs} onChange={(e) => setForm({ ...form, timeoutMs: e.target.value })} />
          </label>
          <label>
            Test prompt
            <input value={prompt} onChange={(e) => setPrompt(e.target.value)} />
          </label>
          <div className="battle-actions">
            <button type="button" className="button" disabled={busy} onClick={() => void test()}>
              Send a test prompt
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              Add contestant
            </button>
          </div>
        </form>
      )}
      {message && <p role="status">{message}</p>}
      {result && (
        <div className="context" data-testid="contestant-test-result">
          {result.ok ? (
            <>
              <p>
                Answered in {result.latencyMs} ms (first token {result.firstTokenMs ?? "–"} ms), {result.completionTokens ?? "?"} tokens, finish:{" "}
                {result.finishReason}
              </p>
              <pre style={{ whiteSpace: "pre-wrap" }}>{result.content}</pre>
            </>
          ) : (
            <p className="form-error">
              Failed ({result.code}): {result.message}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
