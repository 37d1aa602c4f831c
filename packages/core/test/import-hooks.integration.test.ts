import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { importItems } from "../src/items/import-items.ts";
import { actorFor, createTestCampaign, createTestUser, makePairwiseItems } from "../src/testing/builders.ts";

/** Import's hook: one routing pass asked for per import into a running campaign, in the import's transaction. */

let admin: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  await disconnectPrisma();
});

async function* lines(count: number, prefix: string): AsyncGenerator<string> {
  for (let i = 0; i < count; i++)
    yield `${JSON.stringify({ id: `${prefix}-${i}`, prompt: `Prompt ${i}`, responses: [{ content: `a ${i}` }, { content: `b ${i}` }] })}\n`;
}

async function routingJobs(campaignId: string) {
  const jobs = await getPrisma().job.findMany({ where: { queue: "routing" } });
  return jobs.filter((job) => (job.payload as { campaignId?: string }).campaignId === campaignId);
}

describe("import hooks", () => {
  it("an import of 1,200 items (three write batches) into an active campaign asks for one routing pass", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", items: makePairwiseItems(2, { prefix: "seed" }), status: "active" });
    const before = (await routingJobs(campaign.id)).length;
    const result = await importItems({ actor: actorFor(admin), campaignId: campaign.id, query: {}, source: lines(1200, "a") });
    expect(result.imported).toBe(1200);
    expect((await routingJobs(campaign.id)).length).toBe(before + 1);
    // A second import while that pass still waits coalesces into it.
    await importItems({ actor: actorFor(admin), campaignId: campaign.id, query: {}, source: lines(10, "b") });
    expect((await routingJobs(campaign.id)).length).toBe(before + 1);
  });

  it("a draft campaign gets no pass from an import (it gets one when it starts), nor does a refused import", async () => {
    const draft = await createTestCampaign({ admin, taskType: "pairwise", items: makePairwiseItems(2, { prefix: "seed" }), status: "draft" });
    await importItems({ actor: actorFor(admin), campaignId: draft.id, query: {}, source: lines(5, "c") });
    expect(await routingJobs(draft.id)).toHaveLength(0);

    const active = await createTestCampaign({ admin, taskType: "pairwise", items: makePairwiseItems(2, { prefix: "seed" }), status: "active" });
    const before = (await routingJobs(active.id)).length;
    async function* bad() {
      yield* lines(600, "d");
      yield '{"id":"x","prompt":"p","responses":[{"content":"only one"}]}\n';
    }
    await expect(importItems({ actor: actorFor(admin), campaignId: active.id, query: {}, source: bad() })).rejects.toMatchObject({ status: 422 });
    expect((await routingJobs(active.id)).length).toBe(before);
  });
});
