"use client";
import { useState } from "react";
import type { RoutingDashboard } from "@arbiter/core/client";
import { formatTime } from "@/components/account/format-time";
import { callApi } from "@/lib/api-client";
import { money, num, pct } from "./format";
import styles from "./routing.module.css";

/** `17:05:09 UTC`: the same text on the server and in the browser (a locale's time would differ, and React would refuse the page's HTML: error #418). */
function clockTime(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

const ROUTES = [
  { key: "human", label: "Humans", className: styles.human },
  { key: "calibration", label: "Calibration (humans and judge)", className: styles.calibration },
  { key: "judge", label: "Judge", className: styles.judge },
  { key: "pending", label: "Waiting for routing", className: styles.pending },
] as const;

const MODES: Record<string, string> = {
  all_human: "every item to humans",
  all_judge: "every item to the judge",
  hybrid: "hybrid: a learned router spends the human budget",
};

/** Budget used, items by route, judge jobs and cost, the disagreement model, predicted vs observed agreement, what drives routing. */
export function RoutingDashboardView(props: {
  campaignId: string;
  dashboard: RoutingDashboard;
  canEdit: boolean;
  campaignStatus: string;
  onChanged: () => Promise<void>;
  /** ISO time of the last refresh. */
  updatedAt: string;
  refreshError: string | null;
}) {
  const { dashboard: d, campaignId, canEdit } = props;
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const total = d.items.total;
  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      setMessage(await what());
      await props.onChanged();
    } catch (error) {
      setMessage((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const jobsTotal = d.judgeJobs.queued + d.judgeJobs.running + d.judgeJobs.done + d.judgeJobs.failed;
  const usage = d.judgeUsage[0];
  const maxCoefficient = Math.max(1e-9, ...(d.model?.features ?? []).map((f) => Math.abs(f.coefficient)));

  return (
    <section aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">Routing dashboard</h2>
      <p className="muted">
        Mode: <strong>{MODES[d.routing.mode] ?? d.routing.mode}</strong> · updated {clockTime(props.updatedAt)}
        {props.refreshError && <span className="error"> · could not refresh: {props.refreshError}</span>}
      </p>
      {d.judge.enabled === false && d.routing.mode !== "all_human" && (
        <p className="notice" role="note">
          This mode needs the LLM judge: enable it below, or nothing is judged.
        </p>
      )}

      <div className={styles.summary}>
        <div className={styles.stat}>
          <span className="muted">Human budget used</span>
          <strong>{d.budget.maxHuman === null ? `${d.budget.used} (all items)` : `${d.budget.used} / ${d.budget.maxHuman}`}</strong>
        </div>
        <div className={styles.stat}>
          <span className="muted">Calibration items</span>
          <strong>
            {d.budget.calibration} / {d.budget.calibrationTarget}
          </strong>
        </div>
        <div className={styles.stat}>
          <span className="muted">Judge jobs done</span>
          <strong>
            {d.judgeJobs.done} / {jobsTotal}
          </strong>
          {d.judgeJobs.failed > 0 && <span className="error">{d.judgeJobs.failed} failed</span>}
        </div>
        <div className={styles.stat}>
          <span className="muted">Judge cost</span>
          <strong>{usage ? money(usage.cost, d.judge.settings?.pricing?.currency) : "—"}</strong>
          {usage && <span className="muted">{usage.totalTokens.toLocaleString("en-US")} tokens</span>}
        </div>
        <div className={styles.stat}>
          <span className="muted">Judge–human agreement</span>
          <strong>{pct(d.agreement.all.agreement)}</strong>
          <span className="muted">
            κ {num(d.agreement.all.cohenKappa, 2)} on {d.agreement.all.items} items
          </span>
        </div>
      </div>

      <div className={styles.grid}>
        <div className="card">
          <h3>Items by route</h3>
          <div className={styles.bar} role="img" aria-label={ROUTES.map((r) => `${r.label}: ${d.items.byRoute[r.key].items}`).join(", ")}>
            {total > 0 && ROUTES.map((r) => <span key={r.key} className={r.className} style={{ width: `${(100 * d.items.byRoute[r.key].items) / total}%` }} />)}
          </div>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>Route</th>
                  <th className={styles.num}>Items</th>
                  <th className={styles.num}>With human labels</th>
                  <th className={styles.num}>With a judge verdict</th>
                </tr>
              </thead>
              <tbody>
                {ROUTES.map((r) => (
                  <tr key={r.key}>
                    <td>
                      <span className={`${styles.swatch} ${r.className}`} aria-hidden />
                      {r.label}
                    </td>
                    <td className={styles.num}>{d.items.byRoute[r.key].items}</td>
                    <td className={styles.num}>{d.items.byRoute[r.key].humanLabelled}</td>
                    <td className={styles.num}>{d.items.byRoute[r.key].judgeLabelled}</td>
                  </tr>
                ))}
                <tr>
                  <th>Total (gold items aside)</th>
                  <th className={styles.num}>{total}</th>
                  <th />
                  <th />
                </tr>
              </tbody>
            </table>
          </div>
          {canEdit && props.campaignStatus === "active" && (
            <div className={styles.actions}>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  act(async () =>
                    (await callApi<{ queued: boolean }>(`/api/v1/campaigns/${campaignId}/routing/run`, { method: "POST" })).queued
                      ? "A routing pass is queued."
                      : "A routing pass was already waiting.",
                  )
                }
              >
                Re-route now
              </button>
              {d.judgeJobs.failed > 0 && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    act(
                      async () =>
                        `${(await callApi<{ requeued: number }>(`/api/v1/campaigns/${campaignId}/judge/retry`, { method: "POST" })).requeued} failed judge job(s) queued again.`,
                    )
                  }
                >
                  Retry failed judge jobs
                </button>
              )}
              {message && <span role="status">{message}</span>}
            </div>
          )}
          {d.judgeJobs.recentErrors.length > 0 && (
            <details>
              <summary>Recent judge errors</summary>
              <ul>
                {d.judgeJobs.recentErrors.map((e, i) => (
                  <li key={i}>
                    <code>{e.error}</code> <span className="muted">{formatTime(e.at)}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>

        <div className="card">
          <h3>Predicted vs observed judge–human agreement</h3>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>Items with both labels</th>
                  <th className={styles.num}>Items</th>
                  <th className={styles.num}>Observed</th>
                  <th className={styles.num}>Predicted</th>
                  <th className={styles.num}>Cohen&apos;s κ</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>Calibration sample</td>
                  <td className={styles.num}>{d.agreement.calibration.items}</td>
                  <td className={styles.num}>{pct(d.agreement.calibration.agreement)}</td>
                  <td className={styles.num}>{pct(d.agreement.calibration.predicted)}</td>
                  <td className={styles.num}>{num(d.agreement.calibration.cohenKappa, 2)}</td>
                </tr>
                <tr>
                  <td>All items</td>
                  <td className={styles.num}>{d.agreement.all.items}</td>
                  <td className={styles.num}>{pct(d.agreement.all.agreement)}</td>
                  <td className={styles.num}>{pct(d.agreement.all.predicted)}</td>
                  <td className={styles.num}>{num(d.agreement.all.cohenKappa, 2)}</td>
                </tr>
                <tr>
                  <td>Left to the judge alone</td>
                  <td className={styles.num}>{d.agreement.judgeRouted}</td>
                  <td className={styles.num}>—</td>
                  <td className={styles.num}>{pct(d.agreement.predictedOnJudgeRouted)}</td>
                  <td />
                </tr>
              </tbody>
            </table>
          </div>
          {d.agreement.reliability.length > 0 && (
            <>
              <h4>Calibration of the predicted disagreement</h4>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th>Predicted disagreement</th>
                    <th className={styles.num}>Items</th>
                    <th className={styles.num}>Mean predicted</th>
                    <th className={styles.num}>Observed</th>
                  </tr>
                </thead>
                <tbody>
                  {d.agreement.reliability.map((b) => (
                    <tr key={b.from}>
                      <td>
                        {pct(b.from, 0)}–{pct(b.to, 0)}
                      </td>
                      <td className={styles.num}>{b.items}</td>
                      <td className={styles.num}>{pct(b.predicted)}</td>
                      <td className={styles.num}>{pct(b.observed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <p className="muted">
            Observed: the judge&apos;s verdict equals the human majority. Predicted: 1 − the router&apos;s predicted chance of disagreement on the same items.
          </p>
        </div>

        <div className="card">
          <h3>What drives routing</h3>
          {!d.model ? (
            <p className="muted">No router model yet: it is trained at the first routing pass of a hybrid campaign.</p>
          ) : d.model.kind === "logistic" ? (
            <>
              <p className="muted">
                Router v{d.model.version}: logistic regression on {d.model.trainedOn} calibration items (disagreement rate {pct(d.model.positiveRate)};
                out-of-fold AUC {num(d.model.validation?.logisticAuc, 2)}, judge uncertainty alone {num(d.model.validation?.judgeUncertaintyAuc, 2)}).
              </p>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th>Feature</th>
                    <th className={styles.num}>Weight</th>
                    <th aria-label="Weight bar" />
                  </tr>
                </thead>
                <tbody>
                  {d.model.features.map((f) => (
                    <tr key={f.feature}>
                      <td title={f.description}>
                        <code>{f.feature}</code>
                        <span className={styles.hint}>{f.description}</span>
                      </td>
                      <td className={styles.num}>
                        {f.coefficient > 0 ? "+" : ""}
                        {f.coefficient.toFixed(2)}
                      </td>
                      <td>
                        <span
                          className={`${styles.coef} ${f.coefficient > 0 ? styles.positive : styles.negative}`}
                          style={{ width: `${(60 * Math.abs(f.coefficient)) / maxCoefficient}px` }}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted">Positive weights send items to humans (the judge is likelier to disagree with them).</p>
            </>
          ) : (
            <p className="muted">
              Router v{d.model.version}: the judge&apos;s own uncertainty (low confidence, a verdict that flips with the order, a tie) ranks the items
              {d.model.trainedOn > 0
                ? ` — it ranked the ${d.model.trainedOn} calibration items at least as well as a fitted model`
                : " until enough calibration items have both labels (20, with both agreements and disagreements)"}
              .
            </p>
          )}
          {d.humanRoutedBecause.length > 0 && (
            <>
              <h4>Why items went to humans</h4>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th>Leading reason</th>
                    <th className={styles.num}>Items</th>
                  </tr>
                </thead>
                <tbody>
                  {d.humanRoutedBecause.map((r) => (
                    <tr key={r.feature}>
                      <td title={r.description}>
                        <code>{r.feature}</code>
                        <span className={styles.hint}>{r.description}</span>
                      </td>
                      <td className={styles.num}>{r.items}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>

        <div className="card">
          <h3>Router versions and judge usage</h3>
          {d.history.length === 0 ? (
            <p className="muted">None yet.</p>
          ) : (
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Model</th>
                  <th className={styles.num}>Trained on</th>
                  <th className={styles.num}>AUC</th>
                  <th>When</th>
                </tr>
              </thead>
              <tbody>
                {d.history.map((h) => (
                  <tr key={h.version}>
                    <td>v{h.version}</td>
                    <td>{h.kind}</td>
                    <td className={styles.num}>{h.trainedOn}</td>
                    <td className={styles.num}>{num(h.logisticAuc ?? h.judgeUncertaintyAuc, 2)}</td>
                    <td>{formatTime(h.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {d.judgeUsage.length > 0 && (
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>Judge model · prompt</th>
                  <th className={styles.num}>Judgments</th>
                  <th className={styles.num}>Order flips</th>
                  <th className={styles.num}>Mean latency</th>
                  <th className={styles.num}>Tokens</th>
                </tr>
              </thead>
              <tbody>
                {d.judgeUsage.map((u) => (
                  <tr key={`${u.model}-${u.promptVersion}`}>
                    <td>
                      {u.model} · <code>{u.promptVersion}</code>
                    </td>
                    <td className={styles.num}>{u.judgments}</td>
                    <td className={styles.num}>{u.orderInconsistent}</td>
                    <td className={styles.num}>{u.meanLatencyMs === null ? "—" : `${u.meanLatencyMs} ms`}</td>
                    <td className={styles.num}>{u.totalTokens.toLocaleString("en-US")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
