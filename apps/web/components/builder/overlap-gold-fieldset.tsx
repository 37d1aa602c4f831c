import { ConfigCheck, Field, type FieldsetProps } from "./fields";

/** 4. How many judgments each item gets, gold checks and the pause below a gold accuracy, leases, and the order items go out in. */
export function OverlapGoldFieldset({ state, set, locked }: Pick<FieldsetProps, "state" | "set" | "locked">) {
  return (
    <fieldset className="card" disabled={locked}>
      <legend>4. Overlap and gold items</legend>
      <div className="grid-form">
        <Field id="cfg-overlap" label="Overlap (human judgments per item)">
          <input id="cfg-overlap" type="number" min={1} max={50} value={state.overlap} onChange={(e) => set("overlap", Number(e.target.value))} />
        </Field>
        <Field id="cfg-goldRate" label="Gold rate (% of tasks that are gold checks)" hint="Items imported with a gold answer are checks.">
          <input
            id="cfg-goldRate"
            type="number"
            min={0}
            max={100}
            step={0.5}
            value={state.goldRatePercent}
            onChange={(e) => set("goldRatePercent", Number(e.target.value))}
          />
        </Field>
        <Field id="cfg-goldPause" label="Pause annotators below gold accuracy (%)" hint="Empty: never pause.">
          <input
            id="cfg-goldPause"
            type="number"
            min={0}
            max={100}
            step={1}
            value={state.goldPauseThresholdPercent}
            onChange={(e) => set("goldPauseThresholdPercent", e.target.value)}
          />
        </Field>
        <Field id="cfg-lease" label="Lease (minutes an annotator holds a task)">
          <input
            id="cfg-lease"
            type="number"
            min={0.05}
            max={1440}
            step="any"
            value={state.leaseMinutes}
            onChange={(e) => set("leaseMinutes", Number(e.target.value))}
          />
        </Field>
      </div>
      <div className="checks">
        <ConfigCheck
          name="finishStartedFirst"
          label="Finish started items first"
          hint="items that have some judgments are handed out before fresh ones"
          state={state}
          set={set}
          locked={locked}
        />
      </div>
    </fieldset>
  );
}
