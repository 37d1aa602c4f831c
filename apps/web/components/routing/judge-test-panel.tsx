"use client";
import { useState } from "react";
import type { JudgeTestResult } from "@arbiter/core/client";
import { callApi } from "@/lib/api-client";
import { money, num } from "./format";
import styles from "./routing.module.css";

function verdictText(verdict: JudgeTestResult["items"][number]["verdict"]): string {
  if (!verdict) return "—";
  if ("winner" in verdict) return verdict.winner === "tie" ? "tie" : `${verdict.winner} wins`;
  return verdict.ranking.map((group) => group.join(" = ")).join(" > ");
}

/** "Test the judge on 5 items": the form's current (unsaved) settings on the campaign's first five items, nothing stored. */
export function JudgeTestPanel(props: { campaignId: string; settings: () => unknown }) {
  const [result, setResult] = useState<JudgeTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  async function run() {
    setRunning(true);
    setError(null);
    try {
      setResult(await callApi<JudgeTestResult>(`/api/v1/campaigns/${props.campaignId}/judge/test`, { method: "POST", body: { settings: props.settings() } }));
    } catch (e) {
      setError((e as Error).message);
      setResult(null);
    } finally {
      setRunning(false);
    }
  }

  return (
    <section aria-labelledby="judge-test-title" style={{ marginTop: "1rem" }}>
      <h3 id="judge-test-title">Try it</h3>
      <div className={styles.actions}>
        <button type="button" onClick={run} disabled={running}>
          {running ? "Judging…" : "Test the judge on 5 items"}
        </button>
        <span className="muted">Uses the settings above as they are now, saved or not. Nothing is stored.</span>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <div role="status">
          <p>
            {result.totals.succeeded} of {result.totals.items} judged by <strong>{result.model}</strong> (prompt <code>{result.promptVersion}</code>) in{" "}
            {(result.totals.wallMs / 1000).toFixed(1)} s · {result.totals.usage.totalTokens.toLocaleString("en-US")} tokens · cost{" "}
            {money(result.totals.cost, result.totals.currency)}
          </p>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>Item</th>
                  <th>Verdict</th>
                  <th className={styles.num}>Confidence</th>
                  <th>Same in both orders</th>
                  <th className={styles.num}>Latency</th>
                  <th className={styles.num}>Tokens</th>
                  <th className={styles.num}>Cost</th>
                  <th>Rationale or error</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((item) => (
                  <tr key={item.itemId}>
                    <td>
                      <code>{item.itemId}</code>
                    </td>
                    <td>{item.ok ? verdictText(item.verdict) : <span className="error">failed</span>}</td>
                    <td className={styles.num}>{num(item.confidence, 2)}</td>
                    <td>
                      {item.orderConsistent === undefined || item.orderConsistent === null ? (
                        "—"
                      ) : item.orderConsistent ? (
                        "yes"
                      ) : (
                        <strong>no (position bias)</strong>
                      )}
                    </td>
                    <td className={styles.num}>{item.latencyMs} ms</td>
                    <td className={styles.num}>{item.usage?.totalTokens.toLocaleString("en-US") ?? "—"}</td>
                    <td className={styles.num}>{money(item.cost, result.totals.currency)}</td>
                    <td className={styles.rationale}>
                      {item.ok ? (
                        item.rationale
                      ) : (
                        <span className="error">
                          <code>{item.error?.code}</code> {item.error?.message}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
