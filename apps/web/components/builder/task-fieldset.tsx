import { comparisonOf, withTaskType, type BuilderState } from "./config-form-state";
import { AttributesEditor } from "./attributes-editor";
import { ConfigCheck, Field, type FieldsetProps } from "./fields";

const TASK_KINDS = [
  ["pairwise", "Pairwise", "Which of two responses is better (tie, both bad, strength)."],
  ["kwise", "K-wise ranking", "Rank K responses best to worst, ties allowed, or pick the best."],
  ["rationale", "Rationale", "A pairwise or K-wise choice with a written reason, attribute ratings and highlighted spans."],
] as const;

/** 2. The task kind and what annotators do in it: ties, strength, K, rationale, hints, spans, attribute ratings. */
export function TaskFieldset({ state, set, update, locked }: FieldsetProps) {
  const comparison = comparisonOf(state);
  return (
    <fieldset className="card" disabled={locked}>
      <legend>2. Task</legend>
      <div role="radiogroup" aria-label="Task kind" className="task-kinds">
        {TASK_KINDS.map(([value, label, hint]) => (
          <label key={value} className={`task-kind${state.taskType === value ? " selected" : ""}`}>
            <input type="radio" name="taskType" value={value} checked={state.taskType === value} onChange={() => update((s) => withTaskType(s, value))} />
            <strong>{label}</strong>
            <span className="muted">{hint}</span>
          </label>
        ))}
      </div>
      {state.taskType === "rationale" && (
        <Field id="cfg-rationaleBase" label="The comparison the rationale explains">
          <select id="cfg-rationaleBase" value={state.rationaleBase} onChange={(e) => set("rationaleBase", e.target.value as BuilderState["rationaleBase"])}>
            <option value="pairwise">Pairwise</option>
            <option value="kwise">K-wise</option>
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
              <option value="rank">Rank all (ties as groups)</option>
              <option value="best_only">Pick the best only</option>
            </select>
          </Field>
        </div>
      )}
      <div className="checks">
        <ConfigCheck name="allowTie" label="Allow ties" state={state} set={set} locked={locked} />
        {comparison === "pairwise" && <ConfigCheck name="allowBothBad" label="Allow “both bad”" state={state} set={set} locked={locked} />}
        {comparison === "pairwise" && <ConfigCheck name="strengthScale" label="Ask how much better (strength 1–3)" state={state} set={set} locked={locked} />}
      </div>
      <div className="grid-form">
        <Field id="cfg-rationale" label="Written rationale">
          <select id="cfg-rationale" value={state.rationale} onChange={(e) => set("rationale", e.target.value as BuilderState["rationale"])}>
            <option value="off">Off</option>
            <option value="optional">Optional</option>
            <option value="required">Required</option>
          </select>
        </Field>
        {state.rationale !== "off" && (
          <Field id="cfg-rationaleMinLength" label="Minimum rationale length (characters)">
            <input
              id="cfg-rationaleMinLength"
              type="number"
              min={0}
              max={5000}
              value={state.rationaleMinLength}
              onChange={(e) => set("rationaleMinLength", Number(e.target.value))}
            />
          </Field>
        )}
        <Field id="cfg-hintMode" label="Hint">
          <select id="cfg-hintMode" value={state.hintMode} onChange={(e) => set("hintMode", e.target.value as BuilderState["hintMode"])}>
            <option value="off">Off</option>
            <option value="after_choice">After the annotator chooses</option>
            <option value="always">Always</option>
          </select>
        </Field>
        {state.hintMode !== "off" && (
          <Field
            id="cfg-hintSource"
            label="Hint source"
            hint={
              state.hasJudge
                ? "The judge's stored verdict, never on gold or calibration items, shown only while its agreement with annotators on calibration items passes the gate."
                : "Configure an LLM judge in the routing settings to use its verdict as the hint."
            }
          >
            <select id="cfg-hintSource" value={state.hintSource} onChange={(e) => set("hintSource", e.target.value as BuilderState["hintSource"])}>
              <option value="reward-model">Reward model</option>
              <option value="judge" disabled={!state.hasJudge}>
                LLM judge&apos;s verdict
              </option>
            </select>
          </Field>
        )}
        {state.hintMode !== "off" && (
          <Field id="cfg-hintGate" label="Hint gate">
            <select id="cfg-hintGate" value={state.hintGate} onChange={(e) => set("hintGate", e.target.value as BuilderState["hintGate"])}>
              <option value="auto">Auto: show only what validates</option>
              <option value="off">Off: show whatever (experiment)</option>
            </select>
          </Field>
        )}
      </div>
      {state.hintMode !== "off" && state.hintGate === "off" && (
        <p className="notice" role="note" data-hint-gate-warning="">
          The hint gate is off: annotators see the {state.hintSource === "judge" ? "judge's verdict" : "model's view"} whatever its validation says, even when
          it does no better than chance or than &ldquo;the longer answer wins&rdquo;. Unvalidated hints can steer labels — use this only for an experiment.
        </p>
      )}
      {state.rationale !== "off" && (
        <Field id="cfg-spanLabels" label="Span labels (comma-separated)" hint="Annotators can highlight passages of a response with these labels.">
          <input id="cfg-spanLabels" value={state.spanLabels} onChange={(e) => set("spanLabels", e.target.value)} />
        </Field>
      )}
      <AttributesEditor attributes={state.attributes} onChange={(attributes) => set("attributes", attributes)} />
    </fieldset>
  );
}
