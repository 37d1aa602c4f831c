"use client";
import type { RewardAttribution } from "@arbiter/reward-model/client";
import { ResponseText } from "../annotate/content";
import styles from "./hints.module.css";
import type { RewardHints } from "./use-reward-hints";

const percent = (p: number) => `${Math.round(p * 100)} %`;
const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)}`;

/**
 * The hint: the reward model's view of the task, or the LLM judge's stored verdict
 * (`hintSource: "judge"`, `data-hint-source`). Always in the page when the task has a hint, so
 * `data-rm-backend` / `data-rm-status` say what ran (or why nothing did; for a pretrained model,
 * the execution provider of its forward pass, and `data-rm-placement` onnxruntime's own account
 * of where its nodes went on WebGPU); its content shows per
 * the campaign's hint mode.
 */
export function HintPanel({ hints, letters, onSubmitAnyway }: { hints: RewardHints; letters: Record<string, string>; onSubmitAnyway: () => void }) {
  if (hints.status === "off") return null;
  const { engine, visible } = hints;
  return (
    <section
      className={styles.panel}
      aria-label={hints.source === "judge" ? "LLM judge hint" : "Reward model hint"}
      data-rm-hint=""
      data-rm-status={hints.status}
      data-rm-error={hints.error ?? undefined}
      data-rm-backend={engine?.backend ?? ""}
      data-rm-placement={engine?.placement ?? undefined}
      data-rm-via={engine?.via ?? ""}
      data-rm-mode={hints.mode}
      data-rm-visible={visible ? "true" : "false"}
      data-rm-ready-ms={hints.timings.readyMs === null ? undefined : hints.timings.readyMs.toFixed(1)}
      data-rm-visible-ms={hints.timings.visibleMs === null ? undefined : hints.timings.visibleMs.toFixed(1)}
      data-hint-source={hints.source}
    >
      {hints.judge ? <JudgeView hints={hints} letters={letters} /> : <RewardModelView hints={hints} letters={letters} onSubmitAnyway={onSubmitAnyway} />}
    </section>
  );
}

/**
 * The LLM judge's stored verdict as the hint ("Judge: A — agrees with annotators 78 % on 64
 * calibration items"). No probability: the judge's own confidence is not calibrated, so only its
 * measured agreement with annotators is shown, with the number of items it rests on.
 */
function JudgeView({ hints, letters }: { hints: RewardHints; letters: Record<string, string> }) {
  const judge = hints.judge;
  if (!judge) return null;
  if (!hints.visible) return <p className={styles.muted}>The judge&apos;s verdict appears once you have chosen.</p>;
  const verdict = judge.ranking
    ? judge.ranking.map((tier) => tier.map((id) => letters[id] ?? "?").join(" = ")).join(" > ")
    : judge.winner
      ? (letters[judge.winner] ?? "?")
      : "a tie";
  return (
    <>
      <p className={styles.headline} role="status" data-judge-hint={judge.winner ?? "tie"}>
        <strong>Judge:</strong> {verdict} — {hints.basis}.{hints.judgeAgrees === true && <span className={styles.agree}> It agrees with you.</span>}
        {hints.judgeAgrees === false && <span className={styles.disagree}> It chose differently.</span>}
      </p>
      <p className={styles.muted} data-rm-basis={hints.basis}>
        The LLM judge&apos;s ({judge.model}) verdict on this item, made before you saw it. A second opinion, not the answer.
      </p>
    </>
  );
}

/** The reward model's view: loading, scores with calibrated probabilities, and the strong-disagreement check. */
function RewardModelView({ hints, letters, onSubmitAnyway }: { hints: RewardHints; letters: Record<string, string>; onSubmitAnyway: () => void }) {
  const { engine, rewards, visible, disagreement, confirming } = hints;
  const name = (id: string) => `Response ${letters[id] ?? "?"}`;
  return (
    <>
      {hints.status === "loading" && <p className={styles.muted}>Loading the reward model…</p>}
      {hints.status === "error" && (
        <p className={styles.muted} role="note">
          Model hints are unavailable for this task.
        </p>
      )}
      {hints.status === "ready" && !visible && <p className={styles.muted}>The model&apos;s view appears once you have chosen.</p>}
      {visible && rewards && (
        <>
          <p className={styles.headline} role="status">
            <strong>Model&apos;s view:</strong>{" "}
            {hints.modelOrder.length === 2 ? (
              (() => {
                const [best, other] = hints.modelOrder as [string, string];
                const p = hints.probability(best, other);
                return (
                  <>
                    prefers {name(best)} ({percent(p)} likely, calibrated)
                  </>
                );
              })()
            ) : (
              <>ranks {hints.modelOrder.map((id) => letters[id]).join(" > ")}</>
            )}
            {disagreement && disagreement.probability > 0 && (
              <span className={styles.disagree}> — it disagrees with you{disagreement.probability >= 0.8 ? " strongly" : ""}.</span>
            )}
            {disagreement && disagreement.probability === 0 && <span className={styles.agree}> — it agrees with you.</span>}
          </p>
          <p className={styles.muted} data-rm-basis={hints.basis}>
            {engine?.kind === "onnx" ? "Pretrained model" : `Model v${engine?.version ?? "?"}`}: {hints.basis}. A second opinion, not the answer.
          </p>
          {hints.attributions && (
            <label className={styles.toggle}>
              <input type="checkbox" checked={hints.highlight} onChange={(e) => hints.setHighlight(e.target.checked)} /> Highlight the words that move the model
            </label>
          )}
        </>
      )}
      {confirming && disagreement && hints.ask && (
        <div className={styles.confirm} role="alertdialog" aria-label="Confirm your choice" data-rm-ask-threshold={hints.ask.threshold.toFixed(3)}>
          <p>
            The model strongly prefers {name(disagreement.modelBest)} ({percent(disagreement.probability)} likely, calibrated). {hints.ask.basis}. Keep your
            choice?
          </p>
          <button type="button" className="primary" onClick={onSubmitAnyway}>
            Submit my choice <kbd>Enter</kbd>
          </button>{" "}
          <button type="button" onClick={hints.dismiss}>
            Let me look again
          </button>
        </div>
      )}
    </>
  );
}

/** The model's rank and reward for one response, once the hint shows. */
export function CandidateHint({ hints, id }: { hints: RewardHints; id: string }) {
  if (!hints.visible || !hints.rewards) return null;
  const rank = hints.modelOrder.indexOf(id) + 1;
  return (
    <p className={styles.candidate} data-rm-candidate={id}>
      Model: #{rank} of {hints.modelOrder.length} · reward {signed(hints.rewards[id] ?? 0)}
    </p>
  );
}

/** The response as markdown, or — with highlighting on — its raw text with the model's strongest tokens marked. */
export function HintedResponse({ hints, id, content }: { hints: RewardHints; id: string; content: string }) {
  const attribution = hints.visible && hints.highlight ? hints.attributions?.[id] : undefined;
  if (!attribution || content.trim() === "") return <ResponseText content={content} />;
  return <AttributedText content={content} attribution={attribution} />;
}

function AttributedText({ content, attribution }: { content: string; attribution: RewardAttribution }) {
  const strongest = Math.max(1e-9, ...attribution.tokens.map((t) => Math.abs(t.weight)));
  const pieces: Array<{ text: string; weight?: number }> = [];
  let cursor = 0;
  for (const token of attribution.tokens) {
    if (token.start < cursor || token.end > content.length) continue;
    if (Math.abs(token.weight) < 0.15 * strongest) continue;
    if (token.start > cursor) pieces.push({ text: content.slice(cursor, token.start) });
    pieces.push({ text: content.slice(token.start, token.end), weight: token.weight });
    cursor = token.end;
  }
  if (cursor < content.length) pieces.push({ text: content.slice(cursor) });
  return (
    <div className={styles.attributed} data-rm-attributed="">
      {pieces.map((piece, i) => {
        if (piece.weight === undefined) return <span key={i}>{piece.text}</span>;
        const alpha = Math.min(0.6, 0.15 + 0.45 * (Math.abs(piece.weight) / strongest));
        const up = piece.weight > 0;
        return (
          <mark
            key={i}
            className={up ? styles.up : styles.down}
            data-rm-weight={piece.weight.toFixed(4)}
            title={`${up ? "raises" : "lowers"} the reward by ${Math.abs(piece.weight).toFixed(3)}`}
            style={{ backgroundColor: up ? `rgba(22, 163, 74, ${alpha})` : `rgba(220, 38, 38, ${alpha})` }}
          >
            {piece.text}
          </mark>
        );
      })}
    </div>
  );
}
