import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { importItems } from "../src/items/import-items.ts";
import { DEFAULT_BATCH_SIZE } from "../src/import/parse-item-stream.ts";
import { actorFor, createTestCampaign, createTestUser, makePairwiseItems } from "../src/testing/builders.ts";

/**
 * All or nothing, past the first batch: each file has more good lines than one write batch holds
 * (DEFAULT_BATCH_SIZE = 500), so the first batch has been written before the failure is seen.
 * Only the import's transaction can take those rows back: without it, every test here fails.
 */

const GOOD_LINES = 650;
const good = (id: string) =>
  JSON.stringify({ id, prompt: `Prompt ${id}: which answer is better?`, responses: [{ content: `yes, ${id}\ttab` }, { content: "no\nnewline \\ backslash" }] });

/** One chunk per line, as a slow upload sends them: the parser yields the first batch before it reads the rest. */
async function* lines(all: string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const line of all) yield encoder.encode(`${line}\n`);
}

const goodLines = (prefix: string, count = GOOD_LINES) => Array.from({ length: count }, (_, i) => good(`${prefix}-${i}`));

let admin: User;
let campaignId: string;

beforeAll(async () => {
  expect(GOOD_LINES).toBeGreaterThan(DEFAULT_BATCH_SIZE);
  admin = await createTestUser({ role: "admin" });
  campaignId = (await createTestCampaign({ admin, taskType: "pairwise", items: makePairwiseItems(3, { prefix: "existing" }), status: "draft" })).id;
});

afterAll(async () => {
  await disconnectPrisma();
});

async function counts() {
  const items = await getPrisma().item.count({ where: { campaignId } });
  const responses = await getPrisma().response.count({ where: { item: { campaignId } } });
  return { items, responses };
}

async function rejectImport(body: AsyncIterable<Uint8Array>, options: { query?: Record<string, string>; maxBytes?: number } = {}): Promise<AppError> {
  const before = await counts();
  const error = await importItems({ actor: actorFor(admin), campaignId, query: options.query ?? {}, source: body, maxBytes: options.maxBytes }).then(
    () => {
      throw new Error("the import was accepted");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  // Nothing of the file is left: not the first batch, not its responses.
  expect(await counts()).toEqual(before);
  expect(before).toEqual({ items: 3, responses: 6 });
  return error as AppError;
}

describe("an import that fails after its first batch leaves nothing behind", () => {
  it("650 good lines, then one bad line: 422 naming that line, 0 items imported", async () => {
    const error = await rejectImport(lines([...goodLines("bad-line"), '{"id":"broken","prompt":"p","responses":[{"content":"a"}]}']));
    expect(error.status).toBe(422);
    expect(error.details).toEqual([{ line: GOOD_LINES + 1, message: "an item needs at least two responses; found 1" }]);
  });

  it("650 good lines, then an id already in the campaign: 409 naming that line, 0 items imported", async () => {
    const error = await rejectImport(lines([...goodLines("dup-existing"), good("existing-2")]));
    expect(error.status).toBe(409);
    expect(error.details).toEqual([
      { line: GOOD_LINES + 1, status: 409, kind: "already_in_campaign", message: "item id existing-2 is already in this campaign" },
    ]);
  });

  it("650 good lines, then an id repeated from line 1 of the same file: 422, 0 items imported", async () => {
    const error = await rejectImport(lines([...goodLines("dup-file"), good("dup-file-0")]));
    expect(error.status).toBe(422);
    expect(error.details).toEqual([
      { line: GOOD_LINES + 1, kind: "duplicate_in_file", message: expect.stringMatching(/^duplicate id "dup-file-0": line 1 has the same id/) },
    ]);
  });

  it("the size limit crossed after the first batch was written: 413, 0 items imported", async () => {
    const all = goodLines("too-big", 1_200);
    const bytesOf = (n: number) => all.slice(0, n).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    // The limit falls after line 1,000: the first batch (lines 1–500) has been parsed and written by then.
    const error = await rejectImport(lines(all), { maxBytes: bytesOf(1_000) + 10 });
    expect(error.status).toBe(413);
  });

  it("onDuplicate=skip with a later duplicate keeps every other line, in file order", async () => {
    const all = [...goodLines("skip"), good("existing-0"), good("skip-last")];
    const result = await importItems({ actor: actorFor(admin), campaignId, query: { onDuplicate: "skip" }, source: lines(all) });
    expect(result.imported).toBe(GOOD_LINES + 1);
    expect(result.skipped).toEqual([
      { line: GOOD_LINES + 1, status: 409, kind: "already_in_campaign", message: "item id existing-0 is already in this campaign" },
    ]);
    const items = await getPrisma().item.findMany({
      where: { campaignId, externalId: { startsWith: "skip" } },
      orderBy: { position: "asc" },
      select: {
        externalId: true,
        position: true,
        prompt: true,
        isGold: true,
        responses: { orderBy: { position: "asc" }, select: { externalId: true, content: true } },
      },
    });
    expect(items.map((i) => i.externalId)).toEqual([...Array.from({ length: GOOD_LINES }, (_, i) => `skip-${i}`), "skip-last"]);
    // Positions continue after the campaign's 3 items, one apart, in file order.
    expect(items.map((i) => i.position)).toEqual(Array.from({ length: GOOD_LINES + 1 }, (_, i) => 3 + i));
    expect(items[7]).toEqual({
      externalId: "skip-7",
      position: 10,
      prompt: "Prompt skip-7: which answer is better?",
      isGold: false,
      responses: [
        { externalId: "a", content: "yes, skip-7\ttab" },
        { externalId: "b", content: "no\nnewline \\ backslash" },
      ],
    });
    // Tidy up for the tests that count the campaign's items.
    await getPrisma().item.deleteMany({ where: { campaignId, externalId: { startsWith: "skip" } } });
  });
});
