import type { ReactNode } from "react";
import type { BuilderState } from "./config-form-state";

/** What each fieldset of the campaign builder gets: the form's state and ways to change it. */
export interface FieldsetProps {
  state: BuilderState;
  set: <K extends keyof BuilderState>(key: K, value: BuilderState[K]) => void;
  update: (change: (state: BuilderState) => BuilderState) => void;
  /** A closed campaign: its settings are kept as they were. */
  locked: boolean;
}

export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span className="muted hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

type CheckKey = "allowTie" | "allowBothBad" | "strengthScale" | "finishStartedFirst";

export function ConfigCheck({
  name,
  label,
  hint,
  state,
  set,
  locked,
}: Pick<FieldsetProps, "state" | "set" | "locked"> & { name: CheckKey; label: string; hint?: string }) {
  return (
    <label className="check" htmlFor={`cfg-${name}`}>
      <input id={`cfg-${name}`} type="checkbox" checked={state[name]} disabled={locked} onChange={(e) => set(name, e.target.checked)} /> {label}
      {hint && <span className="muted"> — {hint}</span>}
    </label>
  );
}
