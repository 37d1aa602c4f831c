"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import type { CampaignView } from "@arbiter/core/campaigns/campaign-view";
import { Markdown, MediaPolicyProvider } from "@/components/annotate/content";
import { ApiCallError, callApi } from "./api-client";
import { comparisonOf, helpSteer2, initialState, mediaHostList, toConfig, type Attribute, type BuilderState, type TaskType } from "./config-form-state";
import { TaskPreview } from "./task-preview";

interface Pending {
  message: string;
  details: Array<Record<string, unknown>>;
}

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <span className="muted hint" id={`${id}-hint`}>{hint}</span>}
    </div>
  );
}

/**
 * The guided campaign form: task kind and its options, guidelines with a preview, overlap and
 * gold, dataset license, and a live preview of the annotator page. Creating goes to
 * `POST /api/v1/campaigns`; editing to `PATCH /api/v1/campaigns/:id`, where a change that
 * affects collected judgments comes back as 409 and is confirmed in a dialog.
 */
export function CampaignBuilder({ campaign }: { campaign?: Pick<CampaignView, "id" | "name" | "description" | "taskType" | "status" | "config"> }) {
  const router = useRouter();
  const [state, setState] = useState<BuilderState>(() => initialState(campaign));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; details: Array<Record<string, unknown>> } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [guidelinesTab, setGuidelinesTab] = useState<"write" | "preview">("write");
  const locked = campaign?.status === "closed";
  const comparison = comparisonOf(state);

  const set = <K extends keyof BuilderState>(key: K, value: BuilderState[K]) => setState((s) => ({ ...s, [key]: value }));
  const setTaskType = (taskType: TaskType) => setState((s) => ({
    ...s,
    taskType,
    rationale: taskType === "rationale" ? (s.rationale === "off" ? "required" : s.rationale) : s.taskType === "rationale" ? "off" : s.rationale,
    attributes: taskType === "rationale" && s.attributes.length === 0 ? helpSteer2 : s.taskType === "rationale" && taskType !== "rationale" ? [] : s.attributes,
  }));
  const setAttribute = (index: number, patch: Partial<Attribute>) => setState((s) => ({ ...s, attributes: s.attributes.map((a, i) => (i === index ? { ...a, ...patch } : a)) }));

  async function save(confirm: boolean) {
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      const config = toConfig(state);
      if (!campaign) {
        for (const key of Object.keys(config)) if (config[key] === null && key !== "goldPauseThreshold") delete config[key];
        const created = await callApi<{ id: string }>("/api/v1/campaigns", { body: { name: state.name, ...(state.description.trim() ? { description: state.description } : {}), taskType: state.taskType, config } });
        router.push(`/admin/campaigns/${created.id}/edit?created=1`);
        return;
      }
      const body = locked
        ? { name: state.name, description: state.description || null }
        : { name: state.name, description: state.description || null, taskType: state.taskType, config, ...(confirm ? { confirm: true } : {}) };
      await callApi(`/api/v1/campaigns/${campaign.id}`, { method: "PATCH", body });
      setPending(null);
      setSaved("Saved.");
      router.refresh();
    } catch (e) {
      if (e instanceof ApiCallError && e.status === 409 && e.details.some((d) => d.reason === "needs_confirmation")) {
        setPending({ message: e.message, details: e.details });
      } else if (e instanceof ApiCallError) {
        setError({ message: e.message, details: e.details });
      } else {
        setError({ message: (e as Error).message, details: [] });
      }
    } finally {
      setSaving(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(false);
  }

  const check = (key: "allowTie" | "allowBothBad" | "strengthScale" | "finishStartedFirst", label: string, hint?: string) => (
    <label className="check" htmlFor={`cfg-${key}`}>
      <input id={`cfg-${key}`} type="checkbox" checked={state[key]} disabled={locked} onChange={(e) => set(key, e.target.checked)} /> {label}
      {hint && <span className="muted"> — {hint}</span>}
    </label>
  );

  return (
    <div className="builder">
      <form className="builder-form" aria-label="Campaign settings" onSubmit={onSubmit}>
        {locked && <p className="notice">This campaign is closed: its settings are kept as they were. You can still rename it, or duplicate it to run it again.</p>}

        <fieldset className="card">
          <legend>1. Basics</legend>
          <Field id="cfg-name" label="Campaign name"><input id="cfg-name" required maxLength={200} value={state.name} onChange={(e) => set("name", e.target.value)} /></Field>
          <Field id="cfg-description" label="Description (optional, goes into the dataset card)">
            <textarea id="cfg-description" rows={2} maxLength={5000} value={state.description} onChange={(e) => set("description", e.target.value)} />
          </Field>
        </fieldset>

        <fieldset className="card" disabled={locked}>
          <legend>2. Task</legend>
          <div role="radiogroup" aria-label="Task kind" className="task-kinds">
            {([
              ["pairwise", "Pairwise", "Which of two responses is better (tie, both bad, strength)."],
              ["kwise", "K-wise ranking", "Rank K responses best to worst, ties allowed, or pick the best."],
              ["rationale", "Rationale", "A pairwise or K-wise choice with a written reason, attribute ratings and highlighted spans."],
            ] as const).map(([value, label, hint]) => (
              <label key={value} className={`task-kind${state.taskType === value ? " selected" : ""}`}>
                <input type="radio" name="taskType" value={value} checked={state.taskType === value} onChange={() => setTaskType(value)} />
                <strong>{label}</strong>
                <span className="muted">{hint}</span>
              </label>
            ))}
          </div>
          {state.taskType === "rationale" && (
            <Field id="cfg-rationaleBase" label="The comparison the rationale explains">
              <select id="cfg-rationaleBase" value={state.rationaleBase} onChange={(e) => set("rationaleBase", e.target.value as BuilderState["rationaleBase"])}>
                <option value="pairwise">Pairwise</option><option value="kwise">K-wise</option>
              </select>
            </Field>
          )}
          {comparison === "kwise" && (
            <div className="grid-form">
              <Field id="cfg-k" label="K (responses shown per task)" hint="Items with more responses show a random K of them.">
                <input id="cfg-k" type="number" min={2} max={9} value={state.k} onChange={(e) => set("k", Number(e.target.value))} />
              </Field>
              <Field id="cfg-kwiseMode" label="What annotators do">
                <select id="cfg-kwiseMode" value={state.kwiseMode} onChange={(e) => set("kwiseMode", e.target.value as BuilderState["kwiseMode"])}>
                  <option value="rank">Rank all (ties as groups)</option><option value="best_only">Pick the best only</option>
                </select>
              </Field>
            </div>
          )}
          <div className="checks">
            {check("allowTie", "Allow ties")}
            {comparison === "pairwise" && check("allowBothBad", "Allow “both bad”")}
            {comparison === "pairwise" && check("strengthScale", "Ask how much better (strength 1–3)")}
          </div>
          <div className="grid-form">
            <Field id="cfg-rationale" label="Written rationale">
              <select id="cfg-rationale" value={state.rationale} onChange={(e) => set("rationale", e.target.value as BuilderState["rationale"])}>
                <option value="off">Off</option><option value="optional">Optional</option><option value="required">Required</option>
              </select>
            </Field>
            {state.rationale !== "off" && (
              <Field id="cfg-rationaleMinLength" label="Minimum rationale length (characters)">
                <input id="cfg-rationaleMinLength" type="number" min={0} max={5000} value={state.rationaleMinLength} onChange={(e) => set("rationaleMinLength", Number(e.target.value))} />
              </Field>
            )}
            <Field id="cfg-hintMode" label="Reward-model hint">
              <select id="cfg-hintMode" value={state.hintMode} onChange={(e) => set("hintMode", e.target.value as BuilderState["hintMode"])}>
                <option value="off">Off</option><option value="after_choice">After the annotator chooses</option><option value="always">Always</option>
              </select>
            </Field>
          </div>
          {state.rationale !== "off" && (
            <Field id="cfg-spanLabels" label="Span labels (comma-separated)" hint="Annotators can highlight passages of a response with these labels.">
              <input id="cfg-spanLabels" value={state.spanLabels} onChange={(e) => set("spanLabels", e.target.value)} />
            </Field>
          )}
          <div className="attributes-editor" role="group" aria-label="Attribute ratings">
            <h3>Attribute ratings per response</h3>
            {state.attributes.length === 0 && <p className="muted">None. Annotators only choose.</p>}
            {state.attributes.map((a, i) => (
              <div key={i} className="attribute-row">
                <input aria-label={`Attribute ${i + 1} name`} placeholder="name" value={a.name} pattern="[a-z][a-z0-9_]*" onChange={(e) => setAttribute(i, { name: e.target.value })} />
                <input aria-label={`Attribute ${i + 1} label`} placeholder="label (optional)" value={a.label ?? ""} onChange={(e) => setAttribute(i, { label: e.target.value })} />
                <input aria-label={`Attribute ${i + 1} minimum`} type="number" min={0} max={10} value={a.min} onChange={(e) => setAttribute(i, { min: Number(e.target.value) })} />
                <input aria-label={`Attribute ${i + 1} maximum`} type="number" min={1} max={10} value={a.max} onChange={(e) => setAttribute(i, { max: Number(e.target.value) })} />
                <button type="button" onClick={() => setState((s) => ({ ...s, attributes: s.attributes.filter((_, j) => j !== i) }))}>Remove</button>
              </div>
            ))}
            <p>
              <button type="button" onClick={() => setState((s) => ({ ...s, attributes: [...s.attributes, { name: "", min: 0, max: 4 }] }))}>Add attribute</button>{" "}
              <button type="button" onClick={() => set("attributes", helpSteer2)}>Use HelpSteer2’s five (0–4)</button>
            </p>
          </div>
        </fieldset>

        <fieldset className="card" disabled={locked}>
          <legend>3. Guidelines and media</legend>
          <div role="tablist" aria-label="Guidelines editor" className="tabs">
            <button type="button" role="tab" aria-selected={guidelinesTab === "write"} onClick={() => setGuidelinesTab("write")}>Write</button>
            <button type="button" role="tab" aria-selected={guidelinesTab === "preview"} onClick={() => setGuidelinesTab("preview")}>Preview</button>
          </div>
          {guidelinesTab === "write" ? (
            <textarea id="cfg-guidelines" aria-label="Guidelines (markdown)" rows={10} className="guidelines-editor" value={state.guidelines} maxLength={100_000}
              placeholder={"# What makes a response better\n\n- Correct before fluent\n- …"} onChange={(e) => set("guidelines", e.target.value)} />
          ) : (
            <div className="guidelines-preview" aria-label="Guidelines preview">
              {state.guidelines.trim() ? <MediaPolicyProvider allowedHosts={mediaHostList(state.mediaHosts)} preview><Markdown text={state.guidelines} /></MediaPolicyProvider> : <p className="muted">Nothing written yet.</p>}
            </div>
          )}
          <Field id="cfg-mediaHosts" label="Hosts annotators may load images, audio and video from (comma-separated)"
            hint="An annotator's browser that loads an image from another site tells that site the annotator's IP address and when they looked at the item. Media in items and guidelines is therefore shown only from the hosts listed here (e.g. images.example.org, *.example.org for its subdomains, 127.0.0.1:8080); anything else shows a placeholder saying it was not loaded.">
            <input id="cfg-mediaHosts" value={state.mediaHosts} placeholder="images.example.org" aria-describedby="cfg-mediaHosts-hint" onChange={(e) => set("mediaHosts", e.target.value)} />
          </Field>
        </fieldset>

        <fieldset className="card" disabled={locked}>
          <legend>4. Overlap and gold items</legend>
          <div className="grid-form">
            <Field id="cfg-overlap" label="Overlap (human judgments per item)"><input id="cfg-overlap" type="number" min={1} max={50} value={state.overlap} onChange={(e) => set("overlap", Number(e.target.value))} /></Field>
            <Field id="cfg-goldRate" label="Gold rate (% of tasks that are gold checks)" hint="Items imported with a gold answer are checks.">
              <input id="cfg-goldRate" type="number" min={0} max={100} step={0.5} value={state.goldRatePercent} onChange={(e) => set("goldRatePercent", Number(e.target.value))} />
            </Field>
            <Field id="cfg-goldPause" label="Pause annotators below gold accuracy (%)" hint="Empty: never pause.">
              <input id="cfg-goldPause" type="number" min={0} max={100} step={1} value={state.goldPauseThresholdPercent} onChange={(e) => set("goldPauseThresholdPercent", e.target.value)} />
            </Field>
            <Field id="cfg-lease" label="Lease (minutes an annotator holds a task)"><input id="cfg-lease" type="number" min={0.05} max={1440} step="any" value={state.leaseMinutes} onChange={(e) => set("leaseMinutes", Number(e.target.value))} /></Field>
          </div>
          <div className="checks">{check("finishStartedFirst", "Finish started items first", "items that have some judgments are handed out before fresh ones")}</div>
        </fieldset>

        <fieldset className="card" disabled={locked}>
          <legend>5. Dataset</legend>
          <Field id="cfg-license" label="License of the exported dataset" hint="An SPDX id or Hugging Face tag, e.g. cc-by-4.0; written into every dataset card.">
            <input id="cfg-license" value={state.license} maxLength={100} placeholder="cc-by-4.0" pattern="[A-Za-z0-9.+_\-]*" onChange={(e) => set("license", e.target.value)} />
          </Field>
        </fieldset>

        <fieldset className="card placeholder-section">
          <legend>6. LLM judge</legend>
          <p className="muted"><strong>Configured in the routing settings.</strong> Which model judges, its endpoint and key are set there; this form keeps them as they are.</p>
          {campaign && <p><a href={`/campaigns/${campaign.id}/routing`}>Open the judge and routing settings</a></p>}
        </fieldset>
        <fieldset className="card placeholder-section">
          <legend>7. Routing</legend>
          <p className="muted"><strong>Configured in the routing settings.</strong> Which items go to humans and which to the judge (budget, calibration share) is set there; this form keeps it as it is.</p>
          {campaign && <p><a href={`/campaigns/${campaign.id}/routing`}>Open the judge and routing settings</a></p>}
        </fieldset>

        <div className="builder-actions">
          <button type="submit" className="primary" disabled={saving}>{campaign ? "Save changes" : "Create campaign"}</button>
          {saving && <span className="muted" role="status">Saving…</span>}
          {saved && <span role="status" className="saved">{saved}</span>}
        </div>
        {error && (
          <div role="alert" className="error">
            <p>{error.message}</p>
            {error.details.length > 1 && <ul>{error.details.map((d, i) => <li key={i}>{String(d.path ?? "")}{d.path ? ": " : ""}{String(d.message ?? "")}</li>)}</ul>}
          </div>
        )}
      </form>

      <TaskPreview state={state} />

      {pending && (
        <div className="modal-backdrop">
          <div role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-body" className="card modal">
            <h2 id="confirm-title">Change settings of a campaign with judgments?</h2>
            <div id="confirm-body">
              <p>These changes affect judgments already collected:</p>
              <ul>{pending.details.map((d, i) => <li key={i}>{String(d.message ?? d.path)}</li>)}</ul>
              <p className="muted">Collected judgments are kept as they are; open tasks are handed out again with the new settings.</p>
            </div>
            <p>
              <button type="button" className="primary" autoFocus disabled={saving} onClick={() => void save(true)}>Apply anyway</button>{" "}
              <button type="button" onClick={() => setPending(null)}>Cancel</button>
            </p>
          </div>
        </div>
      )}
    </div>
  );
}
