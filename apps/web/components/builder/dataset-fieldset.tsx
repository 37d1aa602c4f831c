import { Field, type FieldsetProps } from "./fields";

/** 5. The license written into every dataset card. */
export function DatasetFieldset({ state, set, locked }: Pick<FieldsetProps, "state" | "set" | "locked">) {
  return (
    <fieldset className="card" disabled={locked}>
      <legend>5. Dataset</legend>
      <Field id="cfg-license" label="License of the exported dataset" hint="An SPDX id or Hugging Face tag, e.g. cc-by-4.0; written into every dataset card.">
        <input
          id="cfg-license"
          value={state.license}
          maxLength={100}
          placeholder="cc-by-4.0"
          pattern="[A-Za-z0-9.+_\-]*"
          onChange={(e) => set("license", e.target.value)}
        />
      </Field>
    </fieldset>
  );
}
