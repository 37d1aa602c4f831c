import { describe, expect, it } from "vitest";
import { TIE } from "@arbiter/router";
import { GATE_MIN_HELD_OUT_PAIRS } from "./reward-model-gate.ts";
import { hintConditionFor, inHintControlArm } from "./hint-condition.ts";
import { judgeGateView, measureJudgeAgreement, type JudgeCalibrationItem } from "./judge-hint-gate.ts";

const judge = { model: "judge-model", promptVersion: "p1" };

/** `n` items where the judge matches the single human on `agree` of them; "a" is the longer answer on `longerWins` of the human picks. */
function items(n: number, agree: number, options: { longerIsHumanPick?: number } = {}): JudgeCalibrationItem[] {
  const longer = options.longerIsHumanPick ?? 0;
  return Array.from({ length: n }, (_, i) => ({
    judge: i < agree ? "a" : "b",
    human: ["a"],
    lengths: i < longer ? { a: 20, b: 10 } : { a: 10, b: 20 },
  }));
}

describe("the judge's agreement with annotators on calibration items", () => {
  it("counts the judge against the annotators' majority, with a Wilson interval and both length rules on the same items", () => {
    const measured = measureJudgeAgreement([
      { judge: "a", human: ["a", "a", "b"], lengths: { a: 5, b: 9 } },
      { judge: "b", human: ["a", "b"], lengths: { a: 5, b: 9 } }, // split majority: a tie, the judge's "b" disagrees
      { judge: TIE, human: ["tie", "tie"], lengths: { a: 7, b: 7 } },
      { judge: "a", human: [], lengths: { a: 1, b: 2 } }, // no human label: not counted
    ]);
    expect(measured.items).toBe(3);
    expect(measured.agreed).toBe(2);
    expect(measured.agreement).toBeCloseTo(2 / 3);
    expect(measured.agreementCi![0]).toBeLessThan(2 / 3);
    expect(measured.agreementCi![1]).toBeGreaterThan(2 / 3);
    // Majorities: a (shorter), tie, tie. "Longer wins" never matches; "shorter wins" matches once.
    expect(measured.baselines).toEqual({ longer: 0, shorter: 1 / 3 });
  });

  it("shares the credit between equally long answers", () => {
    expect(measureJudgeAgreement([{ judge: "a", human: ["a"], lengths: { a: 4, b: 4 } }]).baselines).toEqual({ longer: 0.5, shorter: 0.5 });
  });
});

describe("the judge's gate", () => {
  it("opens on enough items whose agreement interval beats 50 % and both length rules", () => {
    const gate = judgeGateView(measureJudgeAgreement(items(60, 54, { longerIsHumanPick: 30 })), judge, "auto");
    expect(gate).toMatchObject({ source: "judge", open: true, enforced: true, reasons: [], heldOutPairs: 60, calibrationItems: 60, agreedItems: 54, judge });
    expect(gate.accuracy).toBeCloseTo(0.9);
    expect(gate.minHeldOutPairs).toBe(GATE_MIN_HELD_OUT_PAIRS);
  });

  it("stays shut with too few items, even at full agreement", () => {
    const gate = judgeGateView(measureJudgeAgreement(items(GATE_MIN_HELD_OUT_PAIRS - 1, GATE_MIN_HELD_OUT_PAIRS - 1)), judge, "auto");
    expect(gate.open).toBe(false);
    expect(gate.reasons).toContainEqual(expect.stringMatching(/only 29 calibration items labelled by both the judge and annotators \(needs 30\)/));
  });

  it("stays shut when the interval does not beat 50 %, or when a length rule does as well", () => {
    const chance = judgeGateView(measureJudgeAgreement(items(80, 44, { longerIsHumanPick: 40 })), judge, "auto");
    expect(chance.open).toBe(false);
    expect(chance.reasons).toContainEqual(expect.stringMatching(/does not beat 50 %/));
    // 90 % agreement, but "longer wins" is right on every item.
    const lengthy = judgeGateView(measureJudgeAgreement(items(80, 72, { longerIsHumanPick: 80 })), judge, "auto");
    expect(lengthy.open).toBe(false);
    expect(lengthy.reasons).toEqual([expect.stringMatching(/does not beat "longer wins" \(100\.0 %\)/)]);
  });

  it("is shut without an enabled judge whatever hintGate says, and open with hintGate off otherwise", () => {
    expect(judgeGateView(measureJudgeAgreement([]), null, "off")).toMatchObject({
      open: false,
      reasons: ["the campaign has no enabled LLM judge"],
      judge: null,
    });
    const off = judgeGateView(measureJudgeAgreement(items(3, 1)), judge, "off");
    expect(off).toMatchObject({ open: true, enforced: false, reasons: [], heldOutPairs: 3 });
  });
});

describe("the arm a judge-hint judgment is recorded in", () => {
  it("puts items that can never carry the judge's verdict (gold, calibration) in neither arm, whatever the draw", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const drawn = ids.filter((id) => inHintControlArm(id, 0.5));
    expect(drawn.length).toBeGreaterThan(50);
    for (const assignmentId of drawn) {
      expect(hintConditionFor({ hintMode: "always", assignmentId, controlShare: 0.5, taskHadModel: false, eligible: false })).toBe("none");
      expect(hintConditionFor({ hintMode: "always", assignmentId, controlShare: 0.5, taskHadModel: false, eligible: true })).toBe("control");
    }
    const undrawn = ids.find((id) => !inHintControlArm(id, 0.5))!;
    expect(hintConditionFor({ hintMode: "always", assignmentId: undrawn, controlShare: 0.5, taskHadModel: true, eligible: true })).toBe("hint");
    expect(hintConditionFor({ hintMode: "always", assignmentId: undrawn, controlShare: 0.5, taskHadModel: true, eligible: false })).toBe("none");
  });
});
