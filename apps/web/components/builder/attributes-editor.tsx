import { helpSteer2, type Attribute } from "./config-form-state";

/** Per-response attribute ratings (name, optional label, scale): rows to edit, add and remove. */
export function AttributesEditor({ attributes, onChange }: { attributes: Attribute[]; onChange: (attributes: Attribute[]) => void }) {
  const patch = (index: number, change: Partial<Attribute>) => onChange(attributes.map((a, i) => (i === index ? { ...a, ...change } : a)));
  return (
    <div className="attributes-editor" role="group" aria-label="Attribute ratings">
      <h3>Attribute ratings per response</h3>
      {attributes.length === 0 && <p className="muted">None. Annotators only choose.</p>}
      {attributes.map((a, i) => (
        <div key={i} className="attribute-row">
          <input
            aria-label={`Attribute ${i + 1} name`}
            placeholder="name"
            value={a.name}
            pattern="[a-z][a-z0-9_]*"
            onChange={(e) => patch(i, { name: e.target.value })}
          />
          <input
            aria-label={`Attribute ${i + 1} label`}
            placeholder="label (optional)"
            value={a.label ?? ""}
            onChange={(e) => patch(i, { label: e.target.value })}
          />
          <input
            aria-label={`Attribute ${i + 1} minimum`}
            type="number"
            min={0}
            max={10}
            value={a.min}
            onChange={(e) => patch(i, { min: Number(e.target.value) })}
          />
          <input
            aria-label={`Attribute ${i + 1} maximum`}
            type="number"
            min={1}
            max={10}
            value={a.max}
            onChange={(e) => patch(i, { max: Number(e.target.value) })}
          />
          <button type="button" onClick={() => onChange(attributes.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <p>
        <button type="button" onClick={() => onChange([...attributes, { name: "", min: 0, max: 4 }])}>
          Add attribute
        </button>{" "}
        <button type="button" onClick={() => onChange(helpSteer2)}>
          Use HelpSteer2’s five (0–4)
        </button>
      </p>
    </div>
  );
}
