import { Field, type FieldsetProps } from "./fields";

/** 1. Name and description: editable even on a closed campaign. */
export function BasicsFieldset({ state, set }: Pick<FieldsetProps, "state" | "set">) {
  return (
    <fieldset className="card">
      <legend>1. Basics</legend>
      <Field id="cfg-name" label="Campaign name">
        <input id="cfg-name" required maxLength={200} value={state.name} onChange={(e) => set("name", e.target.value)} />
      </Field>
      <Field id="cfg-description" label="Description (optional, goes into the dataset card)">
        <textarea id="cfg-description" rows={2} maxLength={5000} value={state.description} onChange={(e) => set("description", e.target.value)} />
      </Field>
    </fieldset>
  );
}
