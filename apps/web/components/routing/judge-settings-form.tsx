"use client";
import { useState, type FormEvent } from "react";
import type { JudgeSettingsView, SecretView } from "@arbiter/core/client";
import { ApiCallError, callApi } from "@/lib/api-client";
import { JudgeTestPanel } from "./judge-test-panel";
import styles from "./routing.module.css";

type Kind = "pairwise" | "kwise" | "rationale";
type Templates = Record<Kind, { system: string; user: string }>;

function initialForm(view: JudgeSettingsView) {
  const s = view.settings;
  const ref = view.key.ref;
  return {
    enabled: view.enabled,
    baseUrl: s?.baseUrl ?? "",
    model: s?.model ?? "",
    keyKind: (ref ? ("env" in ref ? "env" : "secret") : "none") as "none" | "env" | "secret",
    keyName: ref ? ("env" in ref ? ref.env : ref.secret) : "",
    serverTemperature: s?.temperature === null,
    temperature: String(s?.temperature ?? 0),
    maxOutputTokens: s?.maxOutputTokens ? String(s.maxOutputTokens) : "",
    jsonMode: s?.jsonMode ?? true,
    maxConcurrency: String(s?.maxConcurrency ?? 4),
    timeoutSeconds: String((s?.timeoutMs ?? 60_000) / 1000),
    maxRetries: String(s?.maxRetries ?? 3),
    kwiseRotations: String(s?.kwiseRotations ?? 2),
    priceIn: s?.pricing ? String(s.pricing.inputPer1kTokens) : "",
    priceOut: s?.pricing ? String(s.pricing.outputPer1kTokens) : "",
    currency: s?.pricing?.currency ?? "USD",
    templates: structuredClone((s?.promptTemplates ?? view.defaults.promptTemplates) as Templates),
  };
}

type Form = ReturnType<typeof initialForm>;

/** The settings as the API takes them (JudgeSettings plus `enabled`): the key only by reference. */
function toBody(form: Form, view: JudgeSettingsView) {
  const defaults = view.defaults.promptTemplates as Templates;
  const edited = (Object.keys(defaults) as Kind[]).some((k) => form.templates[k].system !== defaults[k].system || form.templates[k].user !== defaults[k].user);
  return {
    enabled: form.enabled,
    baseUrl: form.baseUrl.trim() || undefined,
    model: form.model.trim() || undefined,
    apiKeyRef: form.keyKind === "none" || !form.keyName.trim() ? null : form.keyKind === "env" ? { env: form.keyName.trim() } : { secret: form.keyName.trim() },
    temperature: form.serverTemperature ? null : Number(form.temperature),
    ...(form.maxOutputTokens ? { maxOutputTokens: Number(form.maxOutputTokens) } : {}),
    jsonMode: form.jsonMode,
    maxConcurrency: Number(form.maxConcurrency),
    timeoutMs: Math.round(Number(form.timeoutSeconds) * 1000),
    maxRetries: Number(form.maxRetries),
    ...(view.settings ? { retryBaseDelayMs: view.settings.retryBaseDelayMs, retryMaxDelayMs: view.settings.retryMaxDelayMs } : {}),
    kwiseRotations: Number(form.kwiseRotations),
    ...(form.priceIn !== "" && form.priceOut !== ""
      ? { pricing: { inputPer1kTokens: Number(form.priceIn), outputPer1kTokens: Number(form.priceOut), currency: form.currency || "USD" } }
      : {}),
    ...(edited ? { promptTemplates: form.templates } : {}),
  };
}

const KIND_OF_TASK: Record<string, Kind> = { pairwise: "pairwise", kwise: "kwise", rationale: "rationale" };

/** Endpoint, model, key reference, sampling and retry settings, pricing and the prompt templates of the campaign's judge. */
export function JudgeSettingsForm(props: {
  campaignId: string;
  view: JudgeSettingsView;
  taskType: string;
  secrets: SecretView[];
  canEdit: boolean;
  onSaved: () => Promise<void>;
}) {
  const { view } = props;
  const [form, setForm] = useState(() => initialForm(view));
  const [status, setStatus] = useState<{ ok: boolean; text: string; details?: string[] } | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const kind = KIND_OF_TASK[props.taskType] ?? "pairwise";
  const defaults = view.defaults.promptTemplates as Templates;

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setStatus(null);
    try {
      await callApi(`/api/v1/campaigns/${props.campaignId}/judge`, { method: "PUT", body: toBody(form, view) });
      setStatus({ ok: true, text: form.enabled ? "Saved. Judge jobs are queued for items the judge has not judged with these settings." : "Saved." });
      await props.onSaved();
    } catch (error) {
      setStatus({
        ok: false,
        text: (error as Error).message,
        details: error instanceof ApiCallError ? error.details.map((d) => `${String(d.path ?? "")}: ${String(d.message ?? "")}`) : [],
      });
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="card" onSubmit={save} aria-labelledby="judge-settings-title">
      <h2 id="judge-settings-title">LLM judge</h2>
      <p className="muted">
        Any OpenAI-compatible chat-completions server: a hosted API, vLLM, llama.cpp server or Ollama. Each pair is judged in both orders to expose position
        bias; K-wise items in rotated orders.
      </p>
      <fieldset disabled={!props.canEdit || saving} style={{ border: "none", padding: 0, margin: 0 }}>
        <label className="radio">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} /> Judge this campaign&apos;s items
        </label>
        <div className={styles.form}>
          <label htmlFor="judge-base-url">
            Base URL
            <span className={styles.hint}>
              e.g. https://api.openai.com/v1; a server on this machine or network (http://localhost:8000/v1) only if ARBITER_ALLOWED_HOSTS lists it. Credentials
              shown as REDACTED are kept as stored.
            </span>
            <input
              id="judge-base-url"
              type="url"
              value={form.baseUrl}
              placeholder="https://api.openai.com/v1"
              required={form.enabled}
              onChange={(e) => set("baseUrl", e.target.value)}
            />
          </label>
          <label htmlFor="judge-model">
            Model
            <input id="judge-model" value={form.model} required={form.enabled} placeholder="gpt-4o-mini" onChange={(e) => set("model", e.target.value)} />
          </label>
          <label htmlFor="judge-key-kind">
            API key<span className={styles.hint}>Stored only as a reference; the key never leaves the server.</span>
            <select id="judge-key-kind" value={form.keyKind} onChange={(e) => set("keyKind", e.target.value as Form["keyKind"])}>
              <option value="none">None (local server)</option>
              <option value="secret">A secret of this campaign</option>
              <option value="env">An environment variable of the server</option>
            </select>
          </label>
          {form.keyKind === "secret" && (
            <label htmlFor="judge-key-secret">
              Secret
              <select id="judge-key-secret" value={form.keyName} onChange={(e) => set("keyName", e.target.value)} required>
                <option value="">Choose a secret…</option>
                {props.secrets.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                  </option>
                ))}
                {form.keyName && !props.secrets.some((s) => s.name === form.keyName) && <option value={form.keyName}>{form.keyName} (not stored yet)</option>}
              </select>
            </label>
          )}
          {form.keyKind === "env" && (
            <label htmlFor="judge-key-env">
              Variable name
              <input
                id="judge-key-env"
                value={form.keyName}
                pattern="[A-Za-z_][A-Za-z0-9_]*"
                placeholder="OPENAI_API_KEY"
                required
                onChange={(e) => set("keyName", e.target.value)}
              />
            </label>
          )}
          <div>
            <label htmlFor="judge-temperature">Temperature</label>
            <input
              id="judge-temperature"
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={form.temperature}
              disabled={form.serverTemperature}
              onChange={(e) => set("temperature", e.target.value)}
            />
            <label className={styles.hint}>
              <input type="checkbox" checked={form.serverTemperature} onChange={(e) => set("serverTemperature", e.target.checked)} /> Send none: the
              server&apos;s default (some reasoning models reject any other)
            </label>
          </div>
          <label htmlFor="judge-max-tokens">
            Max output tokens
            <input
              id="judge-max-tokens"
              type="number"
              min={1}
              step={1}
              value={form.maxOutputTokens}
              placeholder="server default"
              onChange={(e) => set("maxOutputTokens", e.target.value)}
            />
          </label>
          <label htmlFor="judge-concurrency">
            Requests at once (per worker)
            <input id="judge-concurrency" type="number" min={1} max={256} value={form.maxConcurrency} onChange={(e) => set("maxConcurrency", e.target.value)} />
          </label>
          <label htmlFor="judge-timeout">
            Timeout per request (s)
            <input id="judge-timeout" type="number" min={1} max={900} value={form.timeoutSeconds} onChange={(e) => set("timeoutSeconds", e.target.value)} />
          </label>
          <label htmlFor="judge-retries">
            Retries per request
            <input id="judge-retries" type="number" min={0} max={10} value={form.maxRetries} onChange={(e) => set("maxRetries", e.target.value)} />
          </label>
          <label htmlFor="judge-rotations">
            K-wise orders per item
            <input id="judge-rotations" type="number" min={1} max={26} value={form.kwiseRotations} onChange={(e) => set("kwiseRotations", e.target.value)} />
          </label>
          <label htmlFor="judge-price-in">
            Price per 1k input tokens
            <input
              id="judge-price-in"
              type="number"
              min={0}
              step="any"
              value={form.priceIn}
              placeholder="for cost accounting"
              onChange={(e) => set("priceIn", e.target.value)}
            />
          </label>
          <label htmlFor="judge-price-out">
            Price per 1k output tokens
            <input id="judge-price-out" type="number" min={0} step="any" value={form.priceOut} onChange={(e) => set("priceOut", e.target.value)} />
          </label>
          <label htmlFor="judge-currency">
            Currency
            <input id="judge-currency" value={form.currency} maxLength={8} onChange={(e) => set("currency", e.target.value)} />
          </label>
          <label className="radio">
            <input type="checkbox" checked={form.jsonMode} onChange={(e) => set("jsonMode", e.target.checked)} /> Ask for JSON mode (dropped automatically if
            the server refuses it)
          </label>
        </div>
        <details>
          <summary>
            Prompt template for {kind} items
            {form.templates[kind].system !== defaults[kind].system || form.templates[kind].user !== defaults[kind].user ? " (edited)" : ""}
          </summary>
          <p className={styles.hint}>
            Variables: {view.defaults.variables.map((v) => `{{${v}}}`).join(", ")}. The defaults include the campaign&apos;s guidelines and attributes; the JSON
            reply format is appended if a template leaves it out. Any change gives a new prompt version, and items are judged again under it.
          </p>
          <div className={styles.form}>
            <label className={styles.wide} htmlFor="judge-system">
              System message
              <textarea
                id="judge-system"
                rows={5}
                value={form.templates[kind].system}
                onChange={(e) => set("templates", { ...form.templates, [kind]: { ...form.templates[kind], system: e.target.value } })}
              />
            </label>
            <label className={styles.wide} htmlFor="judge-user">
              User message
              <textarea
                id="judge-user"
                rows={12}
                value={form.templates[kind].user}
                onChange={(e) => set("templates", { ...form.templates, [kind]: { ...form.templates[kind], user: e.target.value } })}
              />
            </label>
          </div>
          <button type="button" onClick={() => set("templates", { ...form.templates, [kind]: { ...defaults[kind] } })}>
            Reset to the default template
          </button>
        </details>
        {view.settings && (
          <p className="muted">
            Prompt version in use: <code>{view.settings.promptVersion}</code>
          </p>
        )}
        {props.canEdit && (
          <div className={styles.actions}>
            <button type="submit" className="primary">
              Save judge settings
            </button>
            {status && (
              <span role={status.ok ? "status" : "alert"} className={status.ok ? styles.ok : "error"}>
                {status.text}
                {status.details && status.details.length > 1 && (
                  <ul>
                    {status.details.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                )}
              </span>
            )}
          </div>
        )}
      </fieldset>
      {props.canEdit && <JudgeTestPanel campaignId={props.campaignId} settings={() => ({ ...toBody(form, view), enabled: true })} />}
    </form>
  );
}
