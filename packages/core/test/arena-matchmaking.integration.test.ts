import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { createSkillBelief } from "@arbiter/ranking";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import type { TaskView } from "../src/annotation/task-view.ts";
import { getCampaignLeaderboard } from "../src/quality/get-campaign-leaderboard.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makeKwiseItems, type TestCampaign } from "../src/testing/builders.ts";

let admin: User;
// The embedded PGlite (one connection, run in-process) is several times slower: a smaller arena there.
const itemCount = inject("embeddedDb") ? 12 : 24;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  await disconnectPrisma();
});

/** Items with a pool of six responses from `model-0` (best) … `model-5` (worst). */
async function arenaCampaign(items: number, overlap: number, arena = true): Promise<TestCampaign> {
  return createTestCampaign({ admin, taskType: "kwise", config: { k: 3, overlap, goldRate: 0, arena: { enabled: arena } }, items: makeKwiseItems(items, 6) });
}

function modelsOf(campaign: TestCampaign, task: TaskView): string[] {
  const item = campaign.items.find((i) => i.externalId === task.item.id)!;
  return task.candidates.map((c) => item.responses.find((r) => r.id === c.id)!.model!);
}

/** Ranks the shown candidates by their planted strength (model-0 first). */
async function rankTruthfully(campaign: TestCampaign, user: User, task: TaskView) {
  const models = modelsOf(campaign, task);
  const ranking = task.candidates
    .map((c, i) => ({ id: c.id, model: models[i]! }))
    .sort((x, y) => (x.model < y.model ? -1 : 1))
    .map((c) => [c.id]);
  await submitJudgment({ actor: actorFor(user), assignmentId: task.assignmentId, input: { ranking } });
}

describe("K-wise arena", () => {
  it("shows K distinct models, always including the least-compared one, and ranks the models in their planted order", async () => {
    const campaign = await arenaCampaign(itemCount, 4);
    const annotators = await createTestUsers(4, { role: "annotator" });
    await addMembers(campaign.id, annotators);
    const compared = new Map(Array.from({ length: 6 }, (_, i) => [`model-${i}`, 0]));
    let judged = 0;
    for (let active = true; active;) {
      active = false;
      for (const user of annotators) {
        const task = await assignNextTask({ actor: actorFor(user), campaignId: campaign.id });
        if (!task) continue;
        active = true;
        const models = modelsOf(campaign, task);
        expect(task.candidates).toHaveLength(3);
        expect(new Set(task.candidates.map((c) => c.id)).size).toBe(3);
        expect(new Set(models).size).toBe(3);
        // K-Sort Arena's pivot: the least-compared model (lowest name among equals) is always in the match.
        const least = [...compared].sort(([m1, n1], [m2, n2]) => n1 - n2 || (m1 < m2 ? -1 : 1))[0]![0];
        expect(models, `match ${judged + 1}`).toContain(least);
        for (const model of models) compared.set(model, compared.get(model)! + 1);
        await rankTruthfully(campaign, user, task);
        judged += 1;
      }
    }
    expect(judged).toBe(itemCount * 4);
    // Every model took part in a fair share of the matches (3 of 6 models per match).
    expect(Math.min(...compared.values())).toBeGreaterThanOrEqual((0.8 * (judged * 3)) / 6);

    const rows = await getPrisma().arenaRating.findMany({ where: { campaignId: campaign.id }, orderBy: { model: "asc" } });
    expect(rows.map((r) => [r.model, r.comparisons])).toEqual([...compared].sort());
    const prior = createSkillBelief();
    for (const row of rows) expect(row.sigma).toBeLessThan(prior.sigma);

    const board = await getCampaignLeaderboard({ actor: actorFor(admin), campaignId: campaign.id, query: { method: "arena" } });
    expect(board.entries.map((e) => e.model)).toEqual(["model-0", "model-1", "model-2", "model-3", "model-4", "model-5"]);
    for (const entry of board.entries) {
      const row = rows.find((r) => r.model === entry.model)!;
      expect(entry).toMatchObject({ mu: row.mu, sigma: row.sigma, comparisons: row.comparisons });
      expect(entry.rating).toBeCloseTo(row.mu - 3 * row.sigma, 9);
    }
    // The Bradley–Terry board over the expanded rankings agrees on the order.
    const bt = await getCampaignLeaderboard({ actor: actorFor(admin), campaignId: campaign.id, query: { rounds: 100 } });
    expect(bt.entries.map((e) => e.model)).toEqual(board.entries.map((e) => e.model));
  }, 240_000);

  it("counts open leases, so two annotators at once are not handed the same least-compared model", async () => {
    const campaign = await arenaCampaign(1, 2);
    const [first, second] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [first!, second!]);
    const a = modelsOf(campaign, (await assignNextTask({ actor: actorFor(first!), campaignId: campaign.id }))!);
    const b = modelsOf(campaign, (await assignNextTask({ actor: actorFor(second!), campaignId: campaign.id }))!);
    expect(a).toContain("model-0");
    const leastAfterFirst = ["model-0", "model-1", "model-2", "model-3", "model-4", "model-5"].find((m) => !a.includes(m))!;
    expect(b).toContain(leastAfterFirst);
  });

  it("leaves campaigns without the arena alone", async () => {
    const campaign = await arenaCampaign(1, 1, false);
    const [user] = await createTestUsers(1, { role: "annotator" });
    await addMembers(campaign.id, [user!]);
    const task = (await assignNextTask({ actor: actorFor(user!), campaignId: campaign.id }))!;
    expect(task.candidates).toHaveLength(3);
    await rankTruthfully(campaign, user!, task);
    expect(await getPrisma().arenaRating.count({ where: { campaignId: campaign.id } })).toBe(0);
    // The arena board is then replayed from the stored rankings.
    const board = await getCampaignLeaderboard({ actor: actorFor(admin), campaignId: campaign.id, query: { method: "arena" } });
    expect(board.comparisons).toBe(1);
    expect(board.entries.map((e) => e.model)).toEqual([...modelsOf(campaign, task)].sort());
  });
});
