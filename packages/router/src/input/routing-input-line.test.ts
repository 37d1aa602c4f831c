import { describe, expect, it } from "vitest";
import { parseRoutingLine } from "./routing-input-line.ts";

const base = {
  id: "q1",
  prompt: "Which is better?",
  responses: [
    { id: "r1", content: "one" },
    { id: "r2", content: "two", model: "m" },
  ],
  judge: { winner: "r1", confidence: 0.7, consistent: true },
};

describe("parseRoutingLine", () => {
  it("splits calibration lines from lines to route", () => {
    expect(parseRoutingLine(JSON.stringify(base)).kind).toBe("route");
    const calibration = parseRoutingLine(JSON.stringify({ ...base, human: ["r2", "tie"] }));
    expect(calibration.kind).toBe("calibration");
  });

  it("accepts a judge with no verdict (winner null), on a line to route and on a calibration line", () => {
    const silent = parseRoutingLine(JSON.stringify({ ...base, judge: { winner: null } }));
    expect(silent).toMatchObject({ kind: "route", item: { judge: { winner: null } } });
    expect(parseRoutingLine(JSON.stringify({ ...base, judge: { winner: null, confidence: 0 }, human: ["r1"] })).kind).toBe("calibration");
    expect(() => parseRoutingLine(JSON.stringify({ ...base, judge: {} }))).toThrow(/judge\.winner/);
  });

  it("drops a gold field so that nothing downstream can see it", () => {
    const parsed = parseRoutingLine(JSON.stringify({ ...base, gold: "r2" }));
    expect(parsed.item).not.toHaveProperty("gold");
    expect(JSON.stringify(parsed)).not.toContain("gold");
  });

  it.each([
    ["not json", "{", /invalid JSON/],
    ["no context", JSON.stringify({ ...base, prompt: undefined }), /prompt.*"prompt" or "messages"/],
    ["one response", JSON.stringify({ ...base, responses: [base.responses[0]] }), /responses: expected at least 2 responses/],
    ["unknown winner", JSON.stringify({ ...base, judge: { winner: "r9" } }), /judge\.winner/],
    ["confidence out of range", JSON.stringify({ ...base, judge: { winner: "r1", confidence: 3 } }), /judge\.confidence/],
    ["bad human label", JSON.stringify({ ...base, human: ["r1", "zzz"] }), /human\.1/],
    ["empty human list", JSON.stringify({ ...base, human: [] }), /human/],
    ["duplicate response ids", JSON.stringify({ ...base, responses: [base.responses[0], base.responses[0]] }), /unique/],
  ])("rejects %s with a message naming the field", (_name, line, message) => {
    expect(() => parseRoutingLine(line)).toThrow(message);
  });
});
