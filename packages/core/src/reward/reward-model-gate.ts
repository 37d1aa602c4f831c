import { ASK_MIN_CONFIDENCE, ASK_TARGET_PRECISION, type AskEvidence, type CalibrationMetrics } from "@arbiter/reward-model";

/** A version needs at least this many held-out pairs before its view may be shown. */
export const GATE_MIN_HELD_OUT_PAIRS = 30;

/** The gate's verdict on one trained version, from its stored metrics. */
export interface GateVerdict {
  open: boolean;
  reasons: string[];
  heldOutPairs: number;
  accuracy: number | null;
  accuracyCi: [number, number] | null;
  baselines: { longer: number; shorter: number } | null;
  temperature: number;
  calibration: Pick<CalibrationMetrics, "calibrationPairs" | "measurePairs" | "eceBefore" | "eceAfter"> | null;
  /** When this version may ask "Keep your choice?" (its held-out evidence), or null with `askReason`. */
  ask: AskView | null;
  askReason: string | null;
}

/** The held-out evidence behind "Keep your choice?" (calibration.ts, selectAskThreshold). */
export interface AskView {
  /** Calibrated confidence at or above which the model asks (never below 0.8). */
  threshold: number;
  /** Held-out pairs at or above that confidence … */
  heldOutPairs: number;
  /** … the share of them where the model's pick was the vote, and its Wilson 95 % interval (lower end ≥ 0.85). */
  precision: number;
  precisionCi: [number, number];
}

function askOf(c: CalibrationMetrics): { ask: AskView | null; askReason: string | null } {
  const a = c.ask as Partial<AskEvidence> | null | undefined;
  if (a === undefined) return { ask: null, askReason: "this version was trained before the ask threshold existed: retrain to let it ask" };
  const ci = a?.precisionCi;
  if (
    !a ||
    typeof a.threshold !== "number" ||
    typeof a.heldOutPairs !== "number" ||
    typeof a.precision !== "number" ||
    !Array.isArray(ci) ||
    ci.length !== 2 ||
    !(a.threshold >= ASK_MIN_CONFIDENCE) ||
    !((ci[0] as number) >= ASK_TARGET_PRECISION)
  ) {
    return { ask: null, askReason: typeof c.askReason === "string" ? c.askReason : "no held-out evidence that the model is right often enough to ask" };
  }
  return {
    ask: { threshold: a.threshold, heldOutPairs: a.heldOutPairs, precision: a.precision, precisionCi: [ci[0] as number, ci[1] as number] },
    askReason: null,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function calibrationOf(metrics: unknown): CalibrationMetrics | null {
  const c = (metrics as { calibration?: unknown } | null)?.calibration as Partial<CalibrationMetrics> | undefined;
  if (!c || typeof c !== "object") return null;
  const ci = c.accuracyCi;
  if (typeof c.heldOutPairs !== "number" || typeof c.accuracy !== "number" || !Array.isArray(ci) || ci.length !== 2) return null;
  if (typeof c.temperature !== "number" || !(c.temperature > 0) || !c.baselines) return null;
  return c as CalibrationMetrics;
}

/**
 * Whether a trained version may be shown: at least GATE_MIN_HELD_OUT_PAIRS held-out pairs, and
 * the lower end of its 95 % accuracy interval above 50 % and above both length rules ("longer
 * wins", "shorter wins") on the same pairs. Every failed check is a reason.
 */
export function gateVerdict(metrics: unknown): GateVerdict {
  const c = calibrationOf(metrics);
  if (!c) {
    return {
      open: false,
      reasons: ["this version has no held-out calibration (trained without a held-out split, or before calibration existed)"],
      heldOutPairs: 0,
      accuracy: null,
      accuracyCi: null,
      baselines: null,
      temperature: 1,
      calibration: null,
      ask: null,
      askReason: "this version has no held-out calibration",
    };
  }
  const reasons: string[] = [];
  const lo = c.accuracyCi[0];
  if (c.heldOutPairs < GATE_MIN_HELD_OUT_PAIRS) reasons.push(`only ${c.heldOutPairs} held-out pairs (needs ${GATE_MIN_HELD_OUT_PAIRS})`);
  if (!(lo > 0.5)) reasons.push(`the accuracy interval's lower end (${pct(lo)}) does not beat 50 %`);
  if (!(lo > c.baselines.longer)) reasons.push(`the accuracy interval's lower end (${pct(lo)}) does not beat "longer wins" (${pct(c.baselines.longer)})`);
  if (!(lo > c.baselines.shorter)) reasons.push(`the accuracy interval's lower end (${pct(lo)}) does not beat "shorter wins" (${pct(c.baselines.shorter)})`);
  return {
    open: reasons.length === 0,
    reasons,
    heldOutPairs: c.heldOutPairs,
    accuracy: c.accuracy,
    accuracyCi: [c.accuracyCi[0], c.accuracyCi[1]],
    baselines: { longer: c.baselines.longer, shorter: c.baselines.shorter },
    temperature: c.temperature,
    calibration: { calibrationPairs: c.calibrationPairs, measurePairs: c.measurePairs, eceBefore: c.eceBefore, eceAfter: c.eceAfter },
    ...askOf(c),
  };
}

export interface ServedVersion {
  version: number;
  verdict: GateVerdict;
}

/**
 * The trained version tasks get. With the gate on ("auto"): of the versions the gate lets
 * through, oldest to newest, a newer one replaces the one served only if the lower end of its
 * accuracy interval is at least as high — a version that validates worse than the one before is
 * never served. With the gate off: the newest version. `versions` newest first.
 */
export function chooseServedVersion(
  versions: ReadonlyArray<{ version: number; metrics: unknown }>,
  hintGate: "auto" | "off",
): { served: ServedVersion | null; passedOver: Array<{ version: number; reason: string }> } {
  const verdicts = versions.map((v) => ({ version: v.version, verdict: gateVerdict(v.metrics) }));
  if (hintGate === "off") return { served: verdicts[0] ?? null, passedOver: [] };
  let served: ServedVersion | null = null;
  const passedOver: Array<{ version: number; reason: string }> = [];
  for (const candidate of [...verdicts].reverse()) {
    if (!candidate.verdict.open) continue;
    const lo = candidate.verdict.accuracyCi?.[0] ?? 0;
    const servedLo = served?.verdict.accuracyCi?.[0] ?? -1;
    if (served && lo < servedLo) {
      passedOver.push({
        version: candidate.version,
        reason: `v${candidate.version} validates worse than v${served.version} (interval lower end ${pct(lo)} < ${pct(servedLo)})`,
      });
      continue;
    }
    served = candidate;
  }
  return { served, passedOver };
}

/** The gate as the reward-model API shows it (`gate`). */
export interface RewardModelGateView {
  /** Whether tasks carry the model's view now. */
  open: boolean;
  /** false when the campaign set `hintGate: "off"` (views show whatever the checks say). */
  enforced: boolean;
  /** Why the newest version is not what tasks get (empty when it is). */
  reasons: string[];
  /** The version the figures below describe: the one served, else the newest. */
  version: number | null;
  servedVersion: number | null;
  heldOutPairs: number;
  accuracy: number | null;
  accuracyCi: [number, number] | null;
  baselines: { longer: number; shorter: number } | null;
  temperature: number | null;
  calibration: GateVerdict["calibration"];
  minHeldOutPairs: number;
  /**
   * When "Keep your choice?" fires: the served version's held-out evidence (the model asks only at
   * a calibrated confidence ≥ ask.threshold), or null — never asks — with `askReasons`. With the
   * gate off (`enforced: false`) and no evidence the page still asks at ≥ 0.8, saying it is not validated.
   */
  ask: AskView | null;
  askReasons: string[];
  /** The precision the ask evidence must show (lower end of its 95 % interval) and the lowest confidence the model ever asks at. */
  askTarget: number;
  askMinConfidence: number;
}

export function trainedGateView(versions: ReadonlyArray<{ version: number; metrics: unknown }>, hintGate: "auto" | "off"): RewardModelGateView {
  const { served, passedOver } = chooseServedVersion(versions, hintGate);
  const newest = versions[0];
  const newestVerdict = newest ? gateVerdict(newest.metrics) : null;
  const reasons: string[] = [];
  if (!newest) reasons.push("no version trained yet");
  else if (served?.version !== newest.version) {
    const passed = passedOver.find((p) => p.version === newest.version);
    reasons.push(...(passed ? [passed.reason] : (newestVerdict?.reasons ?? [])));
  }
  const shown = served ?? (newest && newestVerdict ? { version: newest.version, verdict: newestVerdict } : null);
  const askReasons: string[] = [];
  if (!served) askReasons.push("the gate is shut: tasks carry no model view");
  else if (!served.verdict.ask) askReasons.push(`v${served.version}: ${served.verdict.askReason ?? "no ask evidence"}`);
  return {
    open: served !== null,
    enforced: hintGate === "auto",
    reasons,
    version: shown?.version ?? null,
    servedVersion: served?.version ?? null,
    heldOutPairs: shown?.verdict.heldOutPairs ?? 0,
    accuracy: shown?.verdict.accuracy ?? null,
    accuracyCi: shown?.verdict.accuracyCi ?? null,
    baselines: shown?.verdict.baselines ?? null,
    temperature: shown?.verdict.temperature ?? null,
    calibration: shown?.verdict.calibration ?? null,
    minHeldOutPairs: GATE_MIN_HELD_OUT_PAIRS,
    ask: served?.verdict.ask ?? null,
    askReasons,
    askTarget: ASK_TARGET_PRECISION,
    askMinConfidence: ASK_MIN_CONFIDENCE,
  };
}

/** A pretrained model has no held-out validation on the campaign's votes: shut unless the gate is off. */
export function pretrainedGateView(hintGate: "auto" | "off", available: boolean): RewardModelGateView {
  const reasons = available
    ? ['a pretrained model is not validated on this campaign\'s votes (set hintGate: "off" to show it anyway)']
    : ["the pretrained model is not available"];
  return {
    open: available && hintGate === "off",
    enforced: hintGate === "auto",
    reasons: available && hintGate === "off" ? [] : reasons,
    version: available ? 0 : null,
    servedVersion: available && hintGate === "off" ? 0 : null,
    heldOutPairs: 0,
    accuracy: null,
    accuracyCi: null,
    baselines: null,
    temperature: null,
    calibration: null,
    minHeldOutPairs: GATE_MIN_HELD_OUT_PAIRS,
    ask: null,
    askReasons: ["a pretrained model has no held-out evidence on this campaign's votes for when it is right often enough to ask"],
    askTarget: ASK_TARGET_PRECISION,
    askMinConfidence: ASK_MIN_CONFIDENCE,
  };
}
