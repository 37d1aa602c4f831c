import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { importItems } from "../src/items/import-items.ts";
import { actorFor, createTestCampaign, createTestUser } from "../src/testing/builders.ts";

/** Gold is an explicit choice per import: a file's labels become gold only when asked (issue 17, item 1). */

async function* text(body: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(body);
}

const llmbar = JSON.stringify(
  Array.from({ length: 5 }, (_, i) => ({ input: `Question ${i}`, output_1: `first ${i}`, output_2: `second ${i}`, label: (i % 2) + 1 })),
);

let admin: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  await disconnectPrisma();
});

const fresh = async () => (await createTestCampaign({ admin, taskType: "pairwise", status: "draft" })).id;
const stored = async (campaignId: string) =>
  getPrisma().item.findMany({ where: { campaignId }, select: { isGold: true, gold: true }, orderBy: { position: "asc" } });

describe("labels as gold", () => {
  it("imports a labelled file as regular items by default and says how many carried labels", async () => {
    const campaignId = await fresh();
    const result = await importItems({ actor: actorFor(admin), campaignId, query: {}, source: text(llmbar) });
    expect(result).toEqual({ imported: 5, format: "llmbar", gold: 0, regular: 5, labelled: 5, labelsAsGold: false });
    const rows = await stored(campaignId);
    expect(rows.map((r) => r.isGold)).toEqual([false, false, false, false, false]);
    expect(rows.every((r) => r.gold === null)).toBe(true);
  });

  it("makes them gold with labelsAsGold=true (and with its old name preferenceAsGold=true)", async () => {
    for (const query of [{ labelsAsGold: "true" }, { preferenceAsGold: "true" }]) {
      const campaignId = await fresh();
      const result = await importItems({ actor: actorFor(admin), campaignId, query, source: text(llmbar) });
      expect(result).toMatchObject({ imported: 5, gold: 5, regular: 0, labelled: 5, labelsAsGold: true });
      const rows = await stored(campaignId);
      expect(rows.map((r) => r.isGold)).toEqual([true, true, true, true, true]);
      expect(rows[0]!.gold).toEqual({ winner: "a" });
      expect(rows[1]!.gold).toEqual({ winner: "b" });
    }
  });

  it("counts gold only among the items written when duplicates are skipped, and refuses a contradiction", async () => {
    const campaignId = await fresh();
    await importItems({ actor: actorFor(admin), campaignId, query: { labelsAsGold: "true" }, source: text(llmbar) });
    const more = JSON.stringify([
      ...JSON.parse(llmbar).slice(0, 2),
      { input: "New one", output_1: "x", output_2: "y", label: 1 },
      { input: "New two", output_1: "x", output_2: "y" },
    ]);
    const result = await importItems({ actor: actorFor(admin), campaignId, query: { labelsAsGold: "true", onDuplicate: "skip" }, source: text(more) });
    expect(result).toMatchObject({ imported: 2, gold: 1, regular: 1, labelled: 1 });

    const error = await importItems({
      actor: actorFor(admin),
      campaignId,
      query: { labelsAsGold: "true", preferenceAsGold: "false" },
      source: text(llmbar),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 422 });
  });
});
