"use client";
import { useState, type FormEvent } from "react";
import type { RoutingConfig } from "@arbiter/core/client";
import { ApiCallError, callApi } from "@/lib/api-client";
import styles from "./routing.module.css";

/** Mode, human budget (a share or a number of items), calibration share and seed. */
export function RoutingSettingsForm(props: {
  campaignId: string;
  routing: RoutingConfig;
  canEdit: boolean;
  judgeEnabled: boolean;
  onSaved: () => Promise<void>;
}) {
  const { routing } = props;
  const [mode, setMode] = useState(routing.mode);
  const [budgetKind, setBudgetKind] = useState<"share" | "count">(routing.humanBudget > 1 ? "count" : "share");
  const [budget, setBudget] = useState(routing.humanBudget > 1 ? String(routing.humanBudget) : String(Math.round(routing.humanBudget * 1000) / 10));
  const [calibration, setCalibration] = useState(String(Math.round(routing.calibrationFraction * 1000) / 10));
  const [seed, setSeed] = useState(String(routing.seed));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setStatus(null);
    try {
      const humanBudget = budgetKind === "share" ? Number(budget) / 100 : Number(budget);
      if (budgetKind === "count" && humanBudget === 1) throw new Error("A budget of one item is not supported; use a share or at least 2 items.");
      await callApi(`/api/v1/campaigns/${props.campaignId}/routing`, {
        method: "PUT",
        body: { mode, humanBudget, calibrationFraction: Number(calibration) / 100, seed: Number(seed) },
      });
      setStatus({ ok: true, text: "Saved. A routing pass is queued: items nobody has labelled are routed again." });
      await props.onSaved();
    } catch (error) {
      setStatus({ ok: false, text: error instanceof ApiCallError ? error.message : (error as Error).message });
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="card" onSubmit={save} aria-labelledby="routing-settings-title">
      <h2 id="routing-settings-title">Routing settings</h2>
      <fieldset disabled={!props.canEdit || saving} style={{ border: "none", padding: 0, margin: 0 }}>
        <div className={styles.form}>
          <label htmlFor="routing-mode">
            Who labels the items
            <select id="routing-mode" value={mode} onChange={(e) => setMode(e.target.value as RoutingConfig["mode"])}>
              <option value="all_human">Humans only</option>
              <option value="hybrid">Hybrid: humans where the judge is likely wrong</option>
              <option value="all_judge">The LLM judge only</option>
            </select>
          </label>
          {mode === "hybrid" && (
            <>
              <label htmlFor="routing-budget">
                Human budget
                <span className={styles.hint}>Items that may get human labels, calibration included.</span>
                <span style={{ display: "flex", gap: "0.4rem" }}>
                  <input
                    id="routing-budget"
                    type="number"
                    required
                    min={0}
                    max={budgetKind === "share" ? 100 : undefined}
                    step={budgetKind === "share" ? 0.1 : 1}
                    value={budget}
                    onChange={(e) => setBudget(e.target.value)}
                  />
                  <select aria-label="Budget unit" value={budgetKind} onChange={(e) => setBudgetKind(e.target.value as "share" | "count")}>
                    <option value="share">% of items</option>
                    <option value="count">items</option>
                  </select>
                </span>
              </label>
              <label htmlFor="routing-calibration">
                Calibration sample (% of items)
                <span className={styles.hint}>Labelled by both humans and the judge; trains the router.</span>
                <input
                  id="routing-calibration"
                  type="number"
                  required
                  min={0}
                  max={100}
                  step={0.1}
                  value={calibration}
                  onChange={(e) => setCalibration(e.target.value)}
                />
              </label>
              <label htmlFor="routing-seed">
                Seed
                <span className={styles.hint}>The same data and seed give the same routes.</span>
                <input id="routing-seed" type="number" required step={1} value={seed} onChange={(e) => setSeed(e.target.value)} />
              </label>
            </>
          )}
        </div>
        {mode !== "all_human" && !props.judgeEnabled && <p className="notice">Enable the LLM judge below: this mode relies on it.</p>}
        {props.canEdit && (
          <div className={styles.actions}>
            <button type="submit" className="primary">
              Save routing settings
            </button>
            {status && (
              <span role={status.ok ? "status" : "alert"} className={status.ok ? styles.ok : "error"}>
                {status.text}
              </span>
            )}
          </div>
        )}
      </fieldset>
    </form>
  );
}
