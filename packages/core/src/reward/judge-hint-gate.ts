import { ASK_MIN_CONFIDENCE, ASK_TARGET_PRECISION } from "@arbiter/reward-model";
import { wilsonInterval } from "@arbiter/reward-model";
import { humanMajority, TIE } from "@arbiter/router";
import { GATE_MIN_HELD_OUT_PAIRS, type RewardModelGateView } from "./reward-model-gate.ts";

/**
 * The gate for the judge as a hint source (issue 18, item 5): the judge's verdict may be shown
 * as a hint only when, on the campaign's calibration items that both the judge and annotators
 * labelled, its agreement with the annotators' majority is measured on enough items
 * (GATE_MIN_HELD_OUT_PAIRS) and the lower end of its Wilson 95 % interval beats 50 % and both
 * length rules ("the longer answer wins", "the shorter answer wins") on the same items. Kept apart
 * from reward-model-gate.ts on purpose: the same checks on a different measurement.
 */

/** One calibration item both labelled: the judge's label, the annotators' labels, and the compared responses' lengths. */
export interface JudgeCalibrationItem {
  /** A response id, or TIE ("tie", "both bad", a tied top). */
  judge: string;
  /** One label per human judgment (response id or TIE); judgments made while the judge's hint showed are left out by the caller. */
  human: readonly string[];
  /** Characters of each response the judge compared, by response id. */
  lengths: Readonly<Record<string, number>>;
}

export interface JudgeAgreement {
  /** Calibration items labelled by both the judge and at least one annotator. */
  items: number;
  /** Items where the judge's label is the annotators' majority (a split majority is a tie). */
  agreed: number;
  agreement: number | null;
  agreementCi: [number, number] | null;
  /** "Longer wins" / "shorter wins" against the same majorities (equally long answers share the credit). */
  baselines: { longer: number; shorter: number } | null;
}

function lengthRuleScore(lengths: Readonly<Record<string, number>>, majority: string, pick: "longer" | "shorter"): number {
  const entries = Object.entries(lengths);
  if (entries.length === 0 || majority === TIE) return 0;
  const target = pick === "longer" ? Math.max(...entries.map(([, n]) => n)) : Math.min(...entries.map(([, n]) => n));
  const chosen = entries.filter(([, n]) => n === target).map(([id]) => id);
  return chosen.includes(majority) ? 1 / chosen.length : 0;
}

/** The judge's agreement with the annotators' majority on calibration items, with its interval and the length rules on the same items. */
export function measureJudgeAgreement(items: readonly JudgeCalibrationItem[]): JudgeAgreement {
  const usable = items.filter((item) => item.human.length > 0);
  if (usable.length === 0) return { items: 0, agreed: 0, agreement: null, agreementCi: null, baselines: null };
  let agreed = 0;
  let longer = 0;
  let shorter = 0;
  for (const item of usable) {
    const majority = humanMajority(item.human);
    if (item.judge === majority) agreed++;
    longer += lengthRuleScore(item.lengths, majority, "longer");
    shorter += lengthRuleScore(item.lengths, majority, "shorter");
  }
  const n = usable.length;
  return {
    items: n,
    agreed,
    agreement: agreed / n,
    agreementCi: wilsonInterval(agreed, n),
    baselines: { longer: longer / n, shorter: shorter / n },
  };
}

/** The gate as `GET …/reward-model` shows it when the hint source is the judge: the reward model's gate shape, `source: "judge"`. */
export type JudgeHintGateView = RewardModelGateView & {
  source: "judge";
  /** The judge whose verdicts are shown (null: no enabled judge). */
  judge: { model: string; promptVersion: string } | null;
  /** Calibration items both labelled, and of them the ones the judge agreed on. */
  calibrationItems: number;
  agreedItems: number;
};

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * The judge's gate from its measured agreement. `judge` null: the campaign has no enabled judge
 * (shut whatever `hintGate` says). With `hintGate: "off"` an enabled judge's verdicts show
 * whatever the checks say; the figures are still reported.
 */
export function judgeGateView(agreement: JudgeAgreement, judge: { model: string; promptVersion: string } | null, hintGate: "auto" | "off"): JudgeHintGateView {
  const reasons: string[] = [];
  if (!judge) reasons.push("the campaign has no enabled LLM judge");
  else if (hintGate === "auto") {
    const lo = agreement.agreementCi?.[0] ?? 0;
    if (agreement.items < GATE_MIN_HELD_OUT_PAIRS)
      reasons.push(`only ${agreement.items} calibration items labelled by both the judge and annotators (needs ${GATE_MIN_HELD_OUT_PAIRS})`);
    if (agreement.items > 0) {
      if (!(lo > 0.5)) reasons.push(`the agreement interval's lower end (${pct(lo)}) does not beat 50 %`);
      const b = agreement.baselines;
      if (b && !(lo > b.longer)) reasons.push(`the agreement interval's lower end (${pct(lo)}) does not beat "longer wins" (${pct(b.longer)})`);
      if (b && !(lo > b.shorter)) reasons.push(`the agreement interval's lower end (${pct(lo)}) does not beat "shorter wins" (${pct(b.shorter)})`);
    }
  }
  const open = judge !== null && reasons.length === 0;
  return {
    source: "judge",
    open,
    enforced: hintGate === "auto",
    reasons,
    version: null,
    servedVersion: null,
    heldOutPairs: agreement.items,
    accuracy: agreement.agreement,
    accuracyCi: agreement.agreementCi,
    baselines: agreement.baselines,
    temperature: null,
    calibration: null,
    minHeldOutPairs: GATE_MIN_HELD_OUT_PAIRS,
    judge,
    calibrationItems: agreement.items,
    agreedItems: agreement.agreed,
    // A judge's verdict carries no calibrated confidence: it is shown, never pressed with "Keep your choice?".
    ask: null,
    askReasons: ['a judge\'s verdict has no calibrated confidence: the page never asks "Keep your choice?" about it'],
    askTarget: ASK_TARGET_PRECISION,
    askMinConfidence: ASK_MIN_CONFIDENCE,
  };
}
