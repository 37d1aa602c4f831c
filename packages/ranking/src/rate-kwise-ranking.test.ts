import { describe, expect, it } from "vitest";
import { conservativeSkill, createSkillBelief, rateKWiseRanking } from "./rate-kwise-ranking.ts";

describe("rateKWiseRanking", () => {
  const prior = createSkillBelief();

  it("moves the winner up, the loser down and shrinks everyone's uncertainty", () => {
    const updated = rateKWiseRanking({ beliefs: new Map(), ranking: [["w"], ["x"], ["y"], ["z"]] });
    const mu = (id: string) => updated.get(id)!.mu;
    expect(mu("w")).toBeGreaterThan(mu("x"));
    expect(mu("x")).toBeGreaterThan(mu("y"));
    expect(mu("y")).toBeGreaterThan(mu("z"));
    expect(mu("w")).toBeGreaterThan(prior.mu);
    expect(mu("z")).toBeLessThan(prior.mu);
    for (const belief of updated.values()) expect(belief.sigma).toBeLessThan(prior.sigma);
  });

  it("treats tied systems alike", () => {
    const updated = rateKWiseRanking({ beliefs: new Map(), ranking: [["w"], ["x", "y"], ["z"]] });
    expect(updated.get("x")!.mu).toBeCloseTo(updated.get("y")!.mu, 12);
    expect(updated.get("x")!.mu).toBeLessThan(updated.get("w")!.mu);
  });

  it("learns less from an expected result than from an upset", () => {
    const beliefs = new Map([
      ["favourite", { mu: 35, sigma: 3 }],
      ["underdog", { mu: 15, sigma: 3 }],
    ]);
    const expected = rateKWiseRanking({ beliefs, ranking: [["favourite"], ["underdog"]] });
    const upset = rateKWiseRanking({ beliefs, ranking: [["underdog"], ["favourite"]] });
    expect(expected.get("favourite")!.mu - 35).toBeLessThan(35 - upset.get("favourite")!.mu);
  });

  it("offers openskill's Plackett–Luce update as an alternative", () => {
    const ranking = [["w"], ["x"], ["y"], ["z"]];
    const pairwise = rateKWiseRanking({ beliefs: new Map(), ranking });
    const plackettLuce = rateKWiseRanking({ beliefs: new Map(), ranking, model: "plackett-luce" });
    expect(plackettLuce.get("w")!.mu).toBeGreaterThan(plackettLuce.get("z")!.mu);
    expect(plackettLuce.get("x")!.mu).not.toBeCloseTo(pairwise.get("x")!.mu, 3);
  });

  it("inflates uncertainty by tau before updating when asked", () => {
    const beliefs = new Map([
      ["x", { mu: 25, sigma: 1 }],
      ["y", { mu: 25, sigma: 1 }],
    ]);
    const still = rateKWiseRanking({ beliefs, ranking: [["x"], ["y"]] });
    const drifting = rateKWiseRanking({ beliefs, ranking: [["x"], ["y"]], tau: 2 });
    expect(drifting.get("x")!.sigma).toBeGreaterThan(still.get("x")!.sigma);
  });

  it("rejects rankings with repeats or a single system", () => {
    expect(() => rateKWiseRanking({ beliefs: new Map(), ranking: [["x"], ["x"]] })).toThrow(RangeError);
    expect(() => rateKWiseRanking({ beliefs: new Map(), ranking: [["x"]] })).toThrow(RangeError);
  });
});

describe("conservativeSkill", () => {
  it("is μ − 3σ, zero for the prior", () => {
    expect(conservativeSkill({ mu: 30, sigma: 2 })).toBe(24);
    expect(conservativeSkill(createSkillBelief())).toBeCloseTo(0, 12);
  });
});
