import { describe, expect, it } from "vitest";
import { chooseServedVersion, gateVerdict, pretrainedGateView, trainedGateView } from "./reward-model-gate.ts";
import { inHintControlArm } from "./hint-condition.ts";

const metrics = (heldOutPairs: number, ci: [number, number], longer = 0.5) => ({
  calibration: {
    calibrationPairs: heldOutPairs / 2,
    measurePairs: heldOutPairs / 2,
    temperature: 2,
    eceBefore: 0.2,
    eceAfter: 0.05,
    accuracy: (ci[0] + ci[1]) / 2,
    accuracyCi: ci,
    heldOutPairs,
    baselines: { longer, shorter: 1 - longer },
  },
});

describe("the hint gate", () => {
  it("opens only with enough held-out pairs and an interval above 50 % and both length rules", () => {
    expect(gateVerdict(metrics(40, [0.6, 0.8]))).toMatchObject({ open: true, reasons: [], temperature: 2 });
    expect(gateVerdict(metrics(20, [0.6, 0.8])).reasons).toEqual(["only 20 held-out pairs (needs 30)"]);
    expect(gateVerdict(metrics(40, [0.45, 0.8])).open).toBe(false);
    const longer = gateVerdict(metrics(40, [0.6, 0.8], 0.65));
    expect(longer.open).toBe(false);
    expect(longer.reasons[0]).toMatch(/longer wins/);
    expect(gateVerdict(metrics(40, [0.6, 0.8], 0.35)).reasons[0]).toMatch(/shorter wins/);
    expect(gateVerdict({ heldOutAccuracy: 0.9 })).toMatchObject({ open: false, temperature: 1 });
  });

  it("serves the best-validated version that passes, never a later one that validates worse; off serves the newest", () => {
    const versions = [
      { version: 4, metrics: metrics(60, [0.62, 0.8]) },
      { version: 3, metrics: metrics(20, [0.7, 0.9]) },
      { version: 2, metrics: metrics(50, [0.66, 0.85]) },
      { version: 1, metrics: metrics(40, [0.55, 0.8]) },
    ];
    const { served, passedOver } = chooseServedVersion(versions, "auto");
    expect(served?.version).toBe(2);
    expect(passedOver.map((p) => p.version)).toEqual([4]);
    expect(chooseServedVersion(versions, "off").served?.version).toBe(4);
    expect(chooseServedVersion([{ version: 1, metrics: metrics(10, [0.2, 0.9]) }], "auto").served).toBeNull();
  });

  it("carries the version's ask evidence only when it shows ≥ 85 % at a confidence ≥ 0.8, and says why not otherwise", () => {
    const ask = { threshold: 0.93, heldOutPairs: 48, precision: 0.96, precisionCi: [0.86, 0.99] as [number, number] };
    const withAsk = (a: unknown, reason: string | null = null) => ({ calibration: { ...metrics(100, [0.6, 0.8]).calibration, ask: a, askReason: reason } });
    expect(gateVerdict(withAsk(ask))).toMatchObject({ open: true, ask, askReason: null });
    const refused = gateVerdict(withAsk(null, "at no confidence level is the model right often enough to ask"));
    expect(refused).toMatchObject({ open: true, ask: null, askReason: "at no confidence level is the model right often enough to ask" });
    // Stored evidence that does not meet the rule (tampered, or an older rule) is not trusted.
    expect(gateVerdict(withAsk({ ...ask, threshold: 0.7 })).ask).toBeNull();
    expect(gateVerdict(withAsk({ ...ask, precisionCi: [0.8, 0.99] })).ask).toBeNull();
    // Versions trained before the threshold existed never ask.
    expect(gateVerdict(metrics(100, [0.6, 0.8]))).toMatchObject({ ask: null, askReason: expect.stringMatching(/before the ask threshold existed/) });

    const view = trainedGateView([{ version: 3, metrics: withAsk(ask) }], "auto");
    expect(view).toMatchObject({ open: true, ask, askReasons: [], askTarget: 0.85, askMinConfidence: 0.8 });
    expect(trainedGateView([{ version: 3, metrics: withAsk(null, "too few") }], "auto")).toMatchObject({ ask: null, askReasons: ["v3: too few"] });
    // A shut gate never asks, whatever the version's evidence.
    expect(trainedGateView([{ version: 1, metrics: { calibration: { ...withAsk(ask).calibration, heldOutPairs: 20 } } }], "auto")).toMatchObject({
      open: false,
      ask: null,
      askReasons: [expect.stringMatching(/gate is shut/)],
    });
    expect(pretrainedGateView("off", true)).toMatchObject({ open: true, ask: null, askReasons: [expect.stringMatching(/pretrained/)] });
  });

  it("puts about the configured share of assignments in the no-hint arm, the same way every time", () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `${i.toString(16).padStart(8, "0")}-1234-4abc-8def-${(i * 7919).toString(16).padStart(12, "0")}`);
    const share = ids.filter((id) => inHintControlArm(id, 0.2)).length / ids.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    expect(ids.every((id) => inHintControlArm(id, 0.2) === inHintControlArm(id, 0.2))).toBe(true);
    expect(ids.some((id) => inHintControlArm(id, 0))).toBe(false);
    expect(ids.every((id) => inHintControlArm(id, 1))).toBe(true);
  });
});
