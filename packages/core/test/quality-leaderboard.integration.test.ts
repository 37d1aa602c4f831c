import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type Prisma, type User } from "@arbiter/db";
import { createSeededRandom } from "@arbiter/ranking";
import { getCampaignLeaderboard } from "../src/quality/get-campaign-leaderboard.ts";
import { actorFor, createTestCampaign, createTestUser, createTestUsers, makePairwiseItems } from "../src/testing/builders.ts";
import type { NewItem } from "../src/items/insert-items.ts";

let admin: User;
let researcher: User;
let raters: User[];

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  researcher = await createTestUser({ role: "researcher" });
  raters = await createTestUsers(4, { role: "annotator" });
});

afterAll(async () => {
  await disconnectPrisma();
});

interface Battle {
  a: string;
  b: string;
  score: number;
}

/**
 * A pairwise campaign whose items pit two models against each other, and `votes(itemIndex)`
 * judgments per item written straight into the database (as seed data), one per rater.
 */
async function seedBattles(items: NewItem[], verdicts: Array<Array<"a" | "b" | "tie" | "both_bad">>) {
  const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 4, goldRate: 0 }, items });
  const rows: Prisma.JudgmentCreateManyInput[] = [];
  campaign.items.forEach((item, i) => {
    verdicts[i]!.forEach((verdict, r) => {
      const winner = item.responses.find((x) => x.externalId === verdict);
      rows.push({
        campaignId: campaign.id,
        itemId: item.id,
        source: "human",
        userId: raters[r]!.id,
        verdict: winner ? "winner" : verdict === "tie" ? "tie" : "both_bad",
        winnerId: winner?.id ?? null,
        presentedOrder: r % 2 === 0 ? item.responses.map((x) => x.id) : item.responses.map((x) => x.id).reverse(),
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, rows.length)),
      });
    });
  });
  await getPrisma().judgment.createMany({ data: rows });
  return campaign;
}

/** Independent reference: Zermelo / Hunter (2004) MM iterations for Bradley–Terry with ties as half wins, on the Elo scale, mean 1000. */
function referenceFit(battles: readonly Battle[]): Map<string, number> {
  const models = [...new Set(battles.flatMap((b) => [b.a, b.b]))];
  const wins = new Map(models.map((m) => [m, 0]));
  const games = new Map<string, number>();
  for (const { a, b, score } of battles) {
    wins.set(a, wins.get(a)! + score);
    wins.set(b, wins.get(b)! + 1 - score);
    for (const key of [`${a}|${b}`, `${b}|${a}`]) games.set(key, (games.get(key) ?? 0) + 1);
  }
  let strength = new Map(models.map((m) => [m, 1]));
  for (let iteration = 0; iteration < 10_000; iteration++) {
    const next = new Map<string, number>();
    for (const i of models) {
      let denominator = 0;
      for (const j of models) if (i !== j) denominator += (games.get(`${i}|${j}`) ?? 0) / (strength.get(i)! + strength.get(j)!);
      next.set(i, wins.get(i)! / denominator);
    }
    const logMean = [...next.values()].reduce((s, v) => s + Math.log(v), 0) / models.length;
    for (const [m, v] of next) next.set(m, v / Math.exp(logMean));
    const change = Math.max(...models.map((m) => Math.abs(Math.log(next.get(m)!) - Math.log(strength.get(m)!))));
    strength = next;
    if (change < 1e-12) break;
  }
  return new Map(models.map((m) => [m, 1000 + 400 * Math.log10(strength.get(m)!)]));
}

describe("campaign leaderboard", () => {
  const planted: Record<string, number> = { "model-strong": 1200, "model-good": 1100, "model-fair": 1000, "model-weak": 880 };
  const names = Object.keys(planted);
  const random = createSeededRandom(42);
  const items: NewItem[] = [];
  const verdicts: Array<Array<"a" | "b" | "tie" | "both_bad">> = [];
  const battles: Battle[] = [];
  for (let i = 0; i < 160; i++) {
    const x = names[i % 4]!;
    const y = names[(i + 1 + (Math.floor(i / 4) % 3)) % 4]!;
    items.push({
      externalId: `battle-${i}`,
      prompt: `Prompt ${i}`,
      responses: [
        { externalId: "a", content: `${x} says ${"so ".repeat(i % 7)}`, model: x },
        { externalId: "b", content: `${y} answers`, model: y },
      ],
      gold: null,
    });
    const row: Array<"a" | "b" | "tie" | "both_bad"> = [];
    for (let r = 0; r < 4; r++) {
      const u = random();
      const pA = 1 / (1 + 10 ** ((planted[y]! - planted[x]!) / 400));
      const verdict = u < 0.05 ? "tie" : u < 0.1 ? "both_bad" : random() < pA ? "a" : "b";
      row.push(verdict);
      battles.push({ a: x, b: y, score: verdict === "a" ? 1 : verdict === "b" ? 0 : 0.5 });
    }
    verdicts.push(row);
  }

  it("fits Bradley–Terry on the Elo scale within a point of an independent MM fit, in the planted order", async () => {
    const campaign = await seedBattles(items, verdicts);
    const board = await getCampaignLeaderboard({ actor: actorFor(researcher), campaignId: campaign.id });
    expect(board).toMatchObject({ method: "bt", styleControl: false, l2: 0, comparisons: 640 });
    expect(board.entries.map((e) => e.model)).toEqual(names);
    const reference = referenceFit(battles);
    for (const entry of board.entries) {
      expect(Math.abs(entry.rating - reference.get(entry.model)!), entry.model).toBeLessThan(1);
      expect(entry.ciLow!).toBeLessThan(entry.rating);
      expect(entry.ciHigh!).toBeGreaterThan(entry.rating);
      expect(entry.comparisons).toBe(battles.filter((b) => b.a === entry.model || b.b === entry.model).length);
      expect(entry.rank).toBe(1 + board.entries.filter((o) => o.ciLow! > entry.ciHigh!).length);
    }
    expect(board.entries[0]!.rank).toBe(1);
    expect(board.entries.at(-1)!.rank).toBeGreaterThan(1);
    // Seeded bootstrap: the same request gives the same intervals.
    expect(await getCampaignLeaderboard({ actor: actorFor(researcher), campaignId: campaign.id })).toEqual(board);

    const elo = await getCampaignLeaderboard({ actor: actorFor(researcher), campaignId: campaign.id, query: { method: "elo" } });
    expect(elo.entries).toHaveLength(4);
    expect(elo.entries[0]!.model).toBe("model-strong");
    expect(elo.entries.at(-1)!.model).toBe("model-weak");

    const styled = await getCampaignLeaderboard({ actor: actorFor(researcher), campaignId: campaign.id, query: { styleControl: "true", rounds: "100" } });
    expect(styled.styleControl).toBe(true);
    expect(styled.entries.map((e) => e.model).sort()).toEqual([...names].sort());
    expect(styled.entries.some((e) => Math.abs(e.rating - board.entries.find((b) => b.model === e.model)!.rating) > 0.01)).toBe(true);

    const arena = await getCampaignLeaderboard({ actor: actorFor(researcher), campaignId: campaign.id, query: { method: "arena" } });
    expect(arena.entries[0]).toMatchObject({ model: "model-strong" });
    for (const entry of arena.entries) expect(entry.rating).toBeCloseTo(entry.mu! - 3 * entry.sigma!, 9);
  });

  it("counts both_bad and tie as half a win each (ratings by hand: ±200·log10 2)", async () => {
    // model-x vs model-y: x wins 3, y wins 1, one tie, one both_bad → x scores 4 of 6, odds 2:1.
    const pair = makePairwiseItems(2);
    const campaign = await seedBattles(pair, [
      ["a", "a", "a", "b"],
      ["tie", "both_bad"],
    ]);
    const board = await getCampaignLeaderboard({ actor: actorFor(admin), campaignId: campaign.id, query: { rounds: 100 } });
    expect(board.entries.map((e) => [e.model, e.comparisons])).toEqual([
      ["model-a", 6],
      ["model-b", 6],
    ]);
    expect(board.entries[0]!.rating).toBeCloseTo(1000 + 200 * Math.log10(2), 6);
    expect(board.entries[1]!.rating).toBeCloseTo(1000 - 200 * Math.log10(2), 6);
  });

  it("falls back to a weak prior when one model never lost, and is empty without model names", async () => {
    const campaign = await seedBattles(makePairwiseItems(3), [
      ["a", "a"],
      ["a", "a"],
      ["a", "a"],
    ]);
    const board = await getCampaignLeaderboard({ actor: actorFor(admin), campaignId: campaign.id, query: { rounds: 100 } });
    expect(board.l2).toBe(1);
    expect(board.entries[0]!.model).toBe("model-a");
    for (const e of board.entries) expect(Number.isFinite(e.rating)).toBe(true);

    const anonymous = makePairwiseItems(2).map((item) => ({ ...item, responses: item.responses.map((r) => ({ ...r, model: null })) }));
    const plain = await seedBattles(anonymous, [
      ["a", "b"],
      ["b", "a"],
    ]);
    expect((await getCampaignLeaderboard({ actor: actorFor(admin), campaignId: plain.id })).entries).toEqual([]);
  });
});
