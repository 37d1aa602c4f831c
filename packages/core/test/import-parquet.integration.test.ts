import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { exportDataset } from "../src/datasets/export-dataset.ts";
import { describeType, MESSAGES, STRING, type ColumnType } from "../src/export/column-types.ts";
import type { ExportColumn } from "../src/export/export-columns.ts";
import { writeParquet } from "../src/export/write-parquet.ts";
import { DEFAULT_BATCH_SIZE } from "../src/import/parse-item-stream.ts";
import { importItems } from "../src/items/import-items.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, makePairwiseItems } from "../src/testing/builders.ts";

/**
 * Parquet import through `importItems` (what POST /api/v1/campaigns/:id/items runs) on a real
 * database: all or nothing past the first batch and row group, 422 naming the row and column, and
 * a campaign exported to Parquet imported back into a new one.
 */
let admin: User;
let annotator: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  annotator = await createTestUser({ role: "annotator" });
});

afterAll(async () => {
  await disconnectPrisma();
});

const col = (name: string, type: ColumnType, nullable = false): ExportColumn => ({ name, type, nullable, kind: describeType(type), description: "" });

async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

/** Sent as a slow upload would: many small chunks. */
async function* upload(bytes: Uint8Array, size = 4096): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += size) yield bytes.subarray(offset, offset + size);
}

const itemCount = (campaignId: string) => getPrisma().item.count({ where: { campaignId } });

async function refused(campaignId: string, body: Uint8Array, options: { query?: Record<string, string>; contentType?: string } = {}): Promise<AppError> {
  const error = await importItems({
    actor: actorFor(admin),
    campaignId,
    query: options.query ?? {},
    source: upload(body),
    ...(options.contentType ? { contentType: options.contentType } : {}),
  }).then(
    () => {
      throw new Error("the import was accepted");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(await itemCount(campaignId)).toBe(0);
  return error as AppError;
}

async function judgeAll(campaignId: string, user: User): Promise<number> {
  let n = 0;
  for (;;) {
    const task = await assignNextTask({ actor: actorFor(user), campaignId });
    if (!task) return n;
    await submitJudgment({
      actor: actorFor(user),
      assignmentId: task.assignmentId,
      idempotencyKey: `pq-${task.assignmentId}`,
      input: { winner: task.candidates[0]!.id },
    });
    n++;
  }
}

describe("Parquet import, all or nothing", () => {
  it("651 rows in row groups of 100, a bad row in the 7th group: 422 naming row 651 and its column, 0 items", async () => {
    const rows = Array.from({ length: 650 }, (_, i) => ({ prompt: `Prompt ${i}?`, chosen: `Yes ${i}`, rejected: `No ${i}` }));
    const file = await collect(
      writeParquet([...rows, { prompt: "Last?", chosen: null, rejected: "No" }], {
        columns: [col("prompt", STRING), col("chosen", STRING, true), col("rejected", STRING)],
        rowGroupSize: 100,
      }),
    );
    expect(rows.length).toBeGreaterThan(DEFAULT_BATCH_SIZE);
    const { id } = await createTestCampaign({ admin, taskType: "pairwise", status: "draft" });
    const error = await refused(id, file);
    expect(error.status).toBe(422);
    const problem = "row 651: chosen: expected text or a list of {role, content} messages";
    expect(error.details).toEqual([{ line: 651, row: 651, message: problem }]);
    expect(error.message).toBe(`1 row refused (1 invalid record); nothing was imported. First: ${problem}`);

    // The same file without its bad row imports whole, in row order.
    const good = await collect(writeParquet(rows, { columns: [col("prompt", STRING), col("chosen", STRING), col("rejected", STRING)], rowGroupSize: 100 }));
    const result = await importItems({ actor: actorFor(admin), campaignId: id, query: {}, source: upload(good) });
    expect(result).toMatchObject({ imported: 650, format: "trl" });
    const last = await getPrisma().item.findFirst({ where: { campaignId: id }, orderBy: { position: "desc" }, select: { prompt: true, position: true } });
    expect(last).toEqual({ prompt: "Prompt 649?", position: 649 });
  });

  it("a column of the wrong type: 422 naming the column and row 1, 0 items", async () => {
    const file = await collect(
      writeParquet([{ prompt: "p", chosen: [{ role: "assistant", content: "a" }], rejected: 7 }], {
        columns: [col("prompt", STRING), col("chosen", MESSAGES), col("rejected", { kind: "int32" })],
      }),
    );
    const { id } = await createTestCampaign({ admin, taskType: "pairwise", status: "draft" });
    const error = await refused(id, file);
    expect(error.status).toBe(422);
    expect(error.details).toEqual([
      {
        line: 1,
        row: 1,
        message: expect.stringMatching(
          /^row 1: column "rejected" is int32; the trl layout needs a string or a list<struct<role: string, content: string>> there/,
        ),
      },
    ]);
  });

  it("a body declared Parquet (Content-Type or file=parquet) that is not: 422, 0 items", async () => {
    const { id } = await createTestCampaign({ admin, taskType: "pairwise", status: "draft" });
    const jsonl = new TextEncoder().encode('{"prompt":"p","chosen":"a","rejected":"b"}\n');
    for (const declared of [{ contentType: "application/vnd.apache.parquet" }, { query: { file: "parquet" } }]) {
      const error = await refused(id, jsonl, declared);
      expect(error.status).toBe(422);
      expect(error.details).toEqual([{ line: 1, row: 1, message: expect.stringMatching(/^row 1: the file is not Parquet: it does not start with "PAR1"/) }]);
    }
    // Undeclared, the same bytes are JSON Lines.
    const result = await importItems({ actor: actorFor(admin), campaignId: id, query: {}, source: upload(jsonl) });
    expect(result.imported).toBe(1);
  });

  it("an unknown layout: 422 listing the columns, 0 items", async () => {
    const file = await collect(writeParquet([{ text: "hello" }], { columns: [col("text", STRING)] }));
    const { id } = await createTestCampaign({ admin, taskType: "pairwise", status: "draft" });
    const error = await refused(id, file);
    expect(error.status).toBe(422);
    expect(error.details?.[0]?.message).toMatch(/^row 1: cannot tell the layout from the columns \(text\)/);
  });
});

describe("Parquet round trip: a campaign exported to Parquet imports into a new campaign", () => {
  it("trl (conversational) and rankings exports import back with the same prompts, answers and preferences", async () => {
    const chat = {
      externalId: "chat-0",
      prompt: "And now?",
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
      ],
      responses: [
        { externalId: "a", content: "Now this.", model: "m1" },
        { externalId: "b", content: "Now that.", model: "m2" },
      ],
      gold: null,
    };
    const source = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: [...makePairwiseItems(4), chat] });
    await addMembers(source.id, [annotator]);
    expect(await judgeAll(source.id, annotator)).toBe(5);
    const researcher = actorFor(admin);

    // trl: a multi-turn item makes every row conversational ([{role, content}] columns).
    const trl = await collect((await exportDataset({ actor: researcher, campaignId: source.id, query: { format: "trl", file: "parquet" } })).body);
    const trlTarget = await createTestCampaign({ admin, taskType: "pairwise", status: "draft" });
    const trlResult = await importItems({ actor: actorFor(admin), campaignId: trlTarget.id, query: { labelsAsGold: "true" }, source: upload(trl) });
    expect(trlResult).toMatchObject({ imported: 5, format: "trl", gold: 5, labelled: 5 });
    const trlItems = await getPrisma().item.findMany({
      where: { campaignId: trlTarget.id },
      orderBy: { position: "asc" },
      select: { prompt: true, messages: true, gold: true, responses: { select: { externalId: true, content: true, metadata: true } } },
    });
    const sourceItems = await getPrisma().item.findMany({
      where: { campaignId: source.id },
      select: { prompt: true, messages: true, responses: { select: { externalId: true, content: true } } },
    });
    const contextOf = (item: { prompt: string | null; messages: unknown }) => [
      ...((item.messages as unknown[] | null) ?? []),
      ...(item.prompt ? [{ role: "user", content: item.prompt }] : []),
    ];
    const answersOf = (item: { responses: { content: string }[] }) => item.responses.map((r) => r.content).sort();
    // The conversation (prompt last) and the two answers of every source item come back, none twice.
    expect(
      trlItems.map((item) => ({ context: contextOf(item), answers: answersOf(item) })).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toEqual(
      sourceItems.map((item) => ({ context: contextOf(item), answers: answersOf(item) })).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    );
    // The preference exported (the annotator chose the first candidate shown) is the gold winner, and the chosen answer.
    for (const item of trlItems) {
      const winner = item.responses.find((r) => r.externalId === (item.gold as { winner: string }).winner)!;
      expect((winner.metadata as { sourcePreference: string }).sourcePreference).toBe("chosen");
    }

    // rankings, text style: response ids and models come back, the ranking as the label.
    const rankings = await collect(
      (await exportDataset({ actor: researcher, campaignId: source.id, query: { format: "rankings", file: "parquet", promptStyle: "text" } })).body,
    );
    const rankingsTarget = await createTestCampaign({ admin, taskType: "pairwise", status: "draft" });
    const rankingsResult = await importItems({
      actor: actorFor(admin),
      campaignId: rankingsTarget.id,
      query: { labelsAsGold: "true" },
      source: upload(rankings),
      contentType: "application/vnd.apache.parquet",
    });
    expect(rankingsResult).toMatchObject({ imported: 5, format: "rankings", gold: 5 });
    const first = await getPrisma().item.findFirst({
      where: { campaignId: rankingsTarget.id, prompt: "Question 2: what is 2 + 2?" },
      select: { gold: true, responses: { orderBy: { position: "asc" }, select: { externalId: true, content: true, model: true } } },
    });
    expect(first?.responses).toEqual([
      { externalId: "a", content: "The answer is 4.", model: "model-a" },
      { externalId: "b", content: "I think it is 5, but I am not sure.", model: "model-b" },
    ]);
    expect((first?.gold as { ranking: string[][] }).ranking).toHaveLength(2);
    const chatBack = await getPrisma().item.findFirst({
      where: { campaignId: rankingsTarget.id, prompt: { startsWith: "User: Hi" } },
      select: { prompt: true },
    });
    expect(chatBack?.prompt).toBe("User: Hi\n\nAssistant: Hello\n\nUser: And now?");
  });
});
