"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { CampaignStats } from "@arbiter/core/client";
import { callApi } from "@/lib/api-client";
import { fixed, percent } from "./format";
import styles from "./quality.module.css";

const flagText: Record<string, string> = {
  gold_accuracy_low: "low gold accuracy",
  position_bias: "position bias",
  fast: "fast outlier",
  slow: "slow outlier",
  low_agreement: "disagrees with others",
  low_latent_accuracy: "low Dawid–Skene accuracy",
  paused: "paused",
};

/** Per-annotator reliability; admins can pause or resume a member from here. */
export function AnnotatorTable({ campaignId, annotators, admin }: { campaignId: string; annotators: CampaignStats["annotators"]; admin: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const setStatus = async (userId: string, status: "active" | "paused") => {
    setBusy(userId);
    setError(null);
    try {
      await callApi(`/api/v1/campaigns/${campaignId}/members/${encodeURIComponent(userId)}/status`, {
        body: { status },
        fallbackMessage: "The change failed.",
      });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  if (annotators.length === 0) return <p className="muted">No annotators yet.</p>;
  return (
    <div className={styles.tableWrap}>
      <table aria-label="Annotators">
        <thead>
          <tr>
            <th scope="col">Annotator</th>
            <th scope="col">Status</th>
            <th scope="col">Judgments</th>
            <th scope="col">Gold</th>
            <th scope="col">Agrees with others</th>
            <th scope="col">Dawid–Skene</th>
            <th scope="col">First shown chosen</th>
            <th scope="col">Median time</th>
            <th scope="col">Flags</th>
            {admin && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {annotators.map((a) => (
            <tr key={a.annotatorId}>
              <th scope="row">
                {a.email ?? a.annotatorId}
                {a.email && <div className="muted">{a.annotatorId}</div>}
              </th>
              <td>
                {a.status}
                {a.pauseReason && <div className="muted">{a.pauseReason}</div>}
              </td>
              <td>{a.judgments}</td>
              <td>{a.goldJudgments > 0 ? `${percent(a.goldAccuracy)} (${a.goldCorrect}/${a.goldJudgments})` : "—"}</td>
              <td>{a.leaveOneOutAgreement === null ? "—" : `${percent(a.leaveOneOutAgreement)} of ${a.leaveOneOutUnits}`}</td>
              <td>{percent(a.dawidSkeneAccuracy)}</td>
              <td>
                {a.positionBias.firstShare === null
                  ? "—"
                  : `${percent(a.positionBias.firstShare)} vs ${percent(a.positionBias.expectedShare)} (p = ${fixed(a.positionBias.pValue, 3)})`}
              </td>
              <td>{a.medianTimeMs === null ? "—" : `${(a.medianTimeMs / 1000).toFixed(1)} s`}</td>
              <td>
                {a.flags.map((f) => (
                  <span key={f} className={styles.flag}>
                    {flagText[f] ?? f}
                  </span>
                ))}
              </td>
              {admin && (
                <td>
                  {a.userId && a.status !== "not_member" && (
                    <button type="button" disabled={busy === a.userId} onClick={() => setStatus(a.userId!, a.status === "paused" ? "active" : "paused")}>
                      {a.status === "paused" ? "Resume" : "Pause"}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
