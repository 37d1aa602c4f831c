"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { rewardPromptText, type RewardAttribution } from "@arbiter/reward-model/client";
import type { JudgeHintRef } from "@arbiter/core/client";
import type { Task } from "../annotate/types";
import { askRule } from "./ask-rule";
import { loadRewardEngine, type BackendChoice, type RewardEngine } from "./reward-engine";

/** What the annotator has decided so far: a pick (pairwise, best-of-K) or a ranking (best first, ties grouped). */
export type HintDecision = { choice: string | null } | { ranking: string[][] };

/** Stored with the judgment (the API's `hint`). */
export interface JudgmentHint {
  shown: boolean;
  changedMind?: boolean;
  modelVersion?: number;
  agreed?: boolean;
  /** "judge" when the hint was the LLM judge's verdict. */
  source?: "reward-model" | "judge";
}

export { STRONG_DISAGREEMENT } from "./ask-rule";
const TOP_SPANS = 5;

type Status = "off" | "loading" | "ready" | "error";

export interface RewardHints {
  mode: "off" | "after_choice" | "always";
  /** What the hint shows: the reward model's view, or the LLM judge's stored verdict (`task.judgeHint`). */
  source: "reward-model" | "judge";
  /** The judge's verdict when it is the hint. */
  judge: JudgeHintRef | null;
  /** Whether the annotator's current choice matches the judge's (null: nothing chosen yet, or not a judge hint). */
  judgeAgrees: boolean | null;
  status: Status;
  engine: RewardEngine | null;
  error: string | null;
  /** Reward per candidate id, once scored. */
  rewards: Record<string, number> | null;
  attributions: Record<string, RewardAttribution> | null;
  /** Candidate ids, the model's best first. */
  modelOrder: string[];
  /** Whether the model's view is on screen now. */
  visible: boolean;
  /** Calibrated probability (σ(Δreward / temperature)) that `a` beats `b`. */
  probability(a: string, b: string): number;
  /** What the percentages rest on: "82 % right on 140 held-out pairs", or that a pretrained model is not validated here. */
  basis: string;
  /** The model's calibrated probability that something beats the annotator's pick (or top tier); null when not applicable. */
  disagreement: { probability: number; modelBest: string } | null;
  /**
   * When the model may ask "Keep your choice?": at a calibrated probability ≥ `threshold`, with what
   * that rests on (`basis`; `validated: false` only with the campaign's gate off and no held-out
   * evidence). null: it never asks.
   */
  ask: { threshold: number; basis: string; validated: boolean } | null;
  /** A strong disagreement waiting for the annotator to confirm or revise. */
  confirming: boolean;
  highlight: boolean;
  setHighlight(on: boolean): void;
  /** Milliseconds from the task's first render to the scores (ready) and to the hint on screen (visible). */
  timings: { readyMs: number | null; visibleMs: number | null };
  /** For `data-rm-reward`: the candidate's reward, or undefined before scoring. */
  rewardAttr(candidateId: string): string | undefined;
  /** Call before submitting: true means "not yet" (a strong disagreement to confirm first). */
  beforeSubmit(): boolean;
  dismiss(): void;
  /** The `hint` to store with the judgment, or undefined when the task had no model. */
  record(): JudgmentHint | undefined;
}

function backendFromUrl(): { backend: BackendChoice; worker: boolean } {
  const params = new URLSearchParams(window.location.search);
  const raw = params.get("rmBackend");
  const backend: BackendChoice = raw === "webgpu" || raw === "wasm" || raw === "js" ? raw : "auto";
  return { backend, worker: params.get("rmWorker") !== "off" };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** "agrees with annotators 78 % on 64 calibration items": what the judge's hint rests on. */
export function judgeBasis(judge: Pick<JudgeHintRef, "agreement" | "calibrationItems"> | null | undefined): string {
  if (!judge) return "";
  if (judge.agreement === null || judge.calibrationItems === 0) return "not yet measured against annotators (0 calibration items)";
  return `agrees with annotators ${Math.round(judge.agreement * 100)} % on ${judge.calibrationItems} calibration item${judge.calibrationItems === 1 ? "" : "s"}`;
}

/** The judge's top choice among the candidates (null: a tie or a tied top). */
function judgeTop(judge: JudgeHintRef): string | null {
  if (judge.ranking) return judge.ranking[0]?.length === 1 ? (judge.ranking[0][0] ?? null) : null;
  return judge.winner;
}

/** The annotator's choice as the judge's label space: a response id, or "tie" (tie, both bad, a tied top); null before any choice. */
function annotatorLabel(decision: HintDecision, decided: boolean): string | null {
  if (!decided) return null;
  if ("choice" in decision) return decision.choice === null ? null : decision.choice === "both_bad" ? "tie" : decision.choice;
  const top = decision.ranking[0];
  return top && top.length === 1 ? (top[0] ?? "tie") : "tie";
}

/** "82 % — 140 held-out pairs": the figure every percentage on the panel rests on. */
export function hintBasis(ref: { kind: string; heldOutAccuracy: number | null; heldOutPairs: number } | undefined): string {
  if (!ref) return "";
  if (ref.heldOutAccuracy === null || ref.heldOutPairs === 0) {
    return ref.kind === "onnx" ? "a pretrained model, not validated on this campaign's votes" : "not validated on held-out votes";
  }
  return `${Math.round(ref.heldOutAccuracy * 100)} % right — ${ref.heldOutPairs} held-out pairs`;
}

function decisionKey(decision: HintDecision): string | null {
  if ("choice" in decision) return decision.choice;
  return JSON.stringify(decision.ranking);
}

/** The annotator's top: the pick, or the first tier of the ranking. Empty for tie / both bad. */
function annotatorTop(decision: HintDecision, ids: Set<string>): string[] {
  if ("choice" in decision) return decision.choice && ids.has(decision.choice) ? [decision.choice] : [];
  return decision.ranking[0] ?? [];
}

/**
 * Reward-model hints for one task: loads the campaign's model (once per page, in a Web Worker),
 * scores the candidates with token attributions, and decides — per the campaign's hintMode —
 * when the model's view shows (`always`: at once; `after_choice`: once the annotator has chosen)
 * and when a strong disagreement asks for confirmation (`after_choice`). Any failure leaves the
 * task as it is, without hints, and says why in the console.
 */
export function useRewardHints(task: Task, decision: HintDecision): RewardHints {
  const mode = task.options.hintMode;
  // The judge's verdict needs nothing loaded: it came with the task (never on gold or calibration items).
  const judge = mode === "off" ? null : (task.judgeHint ?? null);
  const ref = mode === "off" || judge ? undefined : task.rewardModel;
  const [loadStatus, setStatus] = useState<Status>(ref ? "loading" : "off");
  const status: Status = judge ? "ready" : loadStatus;
  const [engine, setEngine] = useState<RewardEngine | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scores, setScores] = useState<{ rewards: Record<string, number>; attributions: Record<string, RewardAttribution> | null } | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [confirmKey, setConfirmKey] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(false);
  const [timings, setTimings] = useState<{ readyMs: number | null; visibleMs: number | null }>({ readyMs: null, visibleMs: null });
  const renderedAt = useRef<number | null>(null);
  renderedAt.current ??= performance.now();
  /** The decision when the annotator first saw the model's view (for changedMind). */
  const seenDecision = useRef<string | null | undefined>(undefined);
  const shownAtSubmit = useRef(false);

  const ids = useMemo(() => task.candidates.map((c) => c.id), [task.candidates]);
  const initialKey = useMemo(() => ("choice" in decision ? null : JSON.stringify(task.candidates.map((c) => [c.id]))), [task.candidates, decision]);
  const key = decisionKey(decision);
  const decided = "choice" in decision ? decision.choice !== null : key !== initialKey;

  useEffect(() => {
    if (!ref) return;
    let cancelled = false;
    const started = renderedAt.current ?? performance.now();
    const prompt = rewardPromptText(task.item);
    const items = task.candidates.map((c) => ({ prompt, response: c.content }));
    void (async () => {
      try {
        const loaded = await loadRewardEngine(ref, backendFromUrl());
        const scored = await loaded.score(items, TOP_SPANS);
        if (cancelled) return;
        const rewards = Object.fromEntries(task.candidates.map((c, i) => [c.id, scored.rewards[i] ?? Number.NaN]));
        const attributions = scored.attributions
          ? Object.fromEntries(task.candidates.flatMap((c, i) => (scored.attributions?.[i] ? [[c.id, scored.attributions[i]]] : [])))
          : null;
        setEngine(loaded);
        setScores({ rewards, attributions });
        setStatus("ready");
        setTimings((t) => ({ ...t, readyMs: performance.now() - started }));
      } catch (failure) {
        if (cancelled) return;
        const message = failure instanceof Error ? failure.message : String(failure);
        console.error(`[arbiter hints] no reward-model hints for this task (model ${ref.kind} v${ref.version}): ${message}`);
        setError(message);
        setStatus("error");
      }
    })();
    return () => {
      cancelled = true;
    };
    // One load per task and model (a task's candidates never change).
  }, [task.assignmentId, ref?.url]);

  const ready = judge !== null || (status === "ready" && scores !== null);
  const visible = ready && (mode === "always" || (mode === "after_choice" && (revealed || decided)));

  // The first moment the annotator has decided and sees the model's view is the baseline for "changed their mind".
  useEffect(() => {
    if (visible && decided && seenDecision.current === undefined) seenDecision.current = key;
  }, [visible, decided, key]);

  useEffect(() => {
    if (!visible || timings.visibleMs !== null) return;
    const started = renderedAt.current ?? performance.now();
    const frame = requestAnimationFrame(() => setTimings((t) => ({ ...t, visibleMs: performance.now() - started })));
    return () => cancelAnimationFrame(frame);
  }, [visible, timings.visibleMs]);

  // Probabilities are calibrated: the version's temperature, fitted on part of its held-out split.
  const temperature = ref && ref.temperature > 0 ? ref.temperature : 1;
  const modelOrder = useMemo(() => {
    if (judge) {
      if (judge.ranking) return judge.ranking.flat();
      return judge.winner ? [judge.winner, ...ids.filter((id) => id !== judge.winner)] : [];
    }
    return scores ? [...ids].sort((a, b) => (scores.rewards[b] ?? 0) - (scores.rewards[a] ?? 0)) : [];
  }, [ids, scores, judge]);
  const chosen = annotatorLabel(decision, decided);
  const judgeAgrees = judge && chosen !== null ? chosen === (judgeTop(judge) ?? "tie") : null;

  const disagreement = useMemo(() => {
    if (!scores) return null;
    const top = annotatorTop(decision, new Set(ids));
    if (top.length === 0) return null;
    const modelBest = modelOrder[0];
    if (!modelBest || top.includes(modelBest)) return { probability: 0, modelBest: modelBest ?? "" };
    const bestOfTop = Math.max(...top.map((id) => scores.rewards[id] ?? 0));
    return { probability: sigmoid(((scores.rewards[modelBest] ?? 0) - bestOfTop) / temperature), modelBest };
  }, [scores, decision, ids, modelOrder, temperature]);

  // "Keep your choice?" only where the version's held-out evidence says the model is right often enough (askRule).
  const ask = useMemo(() => askRule(ref), [ref]);
  const strong = disagreement !== null && ask !== null && disagreement.probability >= ask.threshold;
  const confirming = confirmKey !== null && confirmKey === key && strong;

  const beforeSubmit = useCallback((): boolean => {
    shownAtSubmit.current = visible;
    if (!ready || mode !== "after_choice") return false;
    if (!visible) {
      // A ranking submitted untouched: show the model's view now, and stop only if it strongly disagrees.
      setRevealed(true);
      if (strong) {
        setConfirmKey(key);
        return true;
      }
      return false;
    }
    if (strong && confirmKey !== key) {
      setConfirmKey(key);
      return true;
    }
    return false;
  }, [ready, mode, visible, strong, confirmKey, key]);

  const record = useCallback((): JudgmentHint | undefined => {
    if (judge) {
      const hint: JudgmentHint = { shown: shownAtSubmit.current, source: "judge" };
      if (hint.shown) hint.changedMind = seenDecision.current !== undefined && seenDecision.current !== key;
      if (judgeAgrees !== null) hint.agreed = judgeAgrees;
      return hint;
    }
    if (!ref) return undefined;
    const hint: JudgmentHint = { shown: shownAtSubmit.current || confirmKey !== null, modelVersion: ref.version };
    if (hint.shown) hint.changedMind = seenDecision.current !== undefined && seenDecision.current !== key;
    if (disagreement) hint.agreed = disagreement.probability === 0;
    return hint;
  }, [ref, judge, judgeAgrees, confirmKey, key, disagreement]);

  return {
    mode,
    source: judge ? "judge" : "reward-model",
    judge,
    judgeAgrees,
    status,
    engine,
    error,
    rewards: scores?.rewards ?? null,
    attributions: scores?.attributions ?? null,
    modelOrder,
    visible,
    disagreement,
    ask,
    confirming,
    highlight,
    setHighlight,
    timings,
    probability: (a, b) => sigmoid(((scores?.rewards[a] ?? 0) - (scores?.rewards[b] ?? 0)) / temperature),
    basis: judge ? judgeBasis(judge) : hintBasis(ref),
    rewardAttr: (id) => (scores && Number.isFinite(scores.rewards[id]) ? String(scores.rewards[id]) : undefined),
    beforeSubmit,
    dismiss: () => setConfirmKey(null),
    record,
  };
}
