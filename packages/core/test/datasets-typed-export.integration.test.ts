import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { exportDataset } from "../src/datasets/export-dataset.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, makePairwiseItems } from "../src/testing/builders.ts";
import { arrowColumnTypes, arrowRows, readParquetArrow } from "./support/read-parquet-arrow.ts";

/**
 * Exports that load anywhere: one type per column whatever mix of items a campaign holds, typed
 * Parquet read back as Arrow-based tools read it, the Hugging Face dataset layout of the ZIP,
 * TRL's margin and a clear answer for an export with no rows.
 */
let admin: User;
let researcher: User;
let annotator: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  researcher = await createTestUser({ role: "researcher" });
  annotator = await createTestUser({ role: "annotator" });
});

afterAll(async () => {
  await disconnectPrisma();
});

async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

async function judgeAll(campaignId: string, user: User, strength?: number): Promise<number> {
  let n = 0;
  for (;;) {
    const task = await assignNextTask({ actor: actorFor(user), campaignId });
    if (!task) return n;
    const input = { winner: task.candidates[0]!.id, ...(strength ? { strength } : {}) };
    await submitJudgment({ actor: actorFor(user), assignmentId: task.assignmentId, idempotencyKey: `t-${task.assignmentId}`, input });
    n++;
  }
}

const MESSAGES = "List<Struct<{role:Utf8, content:Utf8}>>";

describe("typed exports", () => {
  it("resolves promptStyle=auto once: a campaign mixing single- and multi-turn items exports message lists in every row", async () => {
    const items = [
      ...makePairwiseItems(2, { prefix: "single" }),
      {
        externalId: "chat-0",
        prompt: "And now?",
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
        responses: [
          { externalId: "a", content: "Now this.", model: "m" },
          { externalId: "b", content: "Now that.", model: "m" },
        ],
        gold: null,
      },
    ];
    const { id } = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items });
    await addMembers(id, [annotator]);
    expect(await judgeAll(id, annotator)).toBe(3);
    const actor = actorFor(researcher);

    const jsonl = await exportDataset({ actor, campaignId: id, query: { format: "trl" } });
    const rows = new TextDecoder()
      .decode(await collect(jsonl.body))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { prompt: unknown; chosen: unknown; rejected: unknown });
    expect(rows).toHaveLength(3);
    for (const row of rows) expect([row.prompt, row.chosen, row.rejected].every(Array.isArray)).toBe(true);
    expect(rows.map((row) => row.prompt)).toContainEqual([{ role: "user", content: "Question 0: what is 0 + 0?" }]);

    const parquet = await exportDataset({ actor, campaignId: id, query: { format: "trl", file: "parquet" } });
    const table = await readParquetArrow(await collect(parquet.body));
    expect(arrowColumnTypes(table)).toEqual({ prompt: MESSAGES, chosen: MESSAGES, rejected: MESSAGES });
    expect(arrowRows(table)).toEqual(rows);

    // Asked for text, every row is text, the conversation rendered.
    const text = await exportDataset({ actor, campaignId: id, query: { format: "rankings", file: "parquet", promptStyle: "text" } });
    const textTable = await readParquetArrow(await collect(text.body));
    expect(arrowColumnTypes(textTable).prompt).toBe("Utf8");
    expect(arrowRows(textTable).map((row) => row.prompt)).toContain("User: Hi\n\nAssistant: Hello\n\nUser: And now?");

    // One item asked for: its own kind decides.
    const one = await exportDataset({ actor, campaignId: id, query: { format: "trl", itemId: "single-1", file: "parquet" } });
    expect(arrowColumnTypes(await readParquetArrow(await collect(one.body))).prompt).toBe("Utf8");
  });

  it("writes a Hugging Face dataset ZIP with TRL's margin from the strength scale, and refuses an export with no rows", async () => {
    const { id } = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 1, goldRate: 0, strengthScale: true },
      items: makePairwiseItems(3),
    });
    const actor = actorFor(researcher);

    const empty = await exportDataset({ actor, campaignId: id, query: { format: "trl", file: "parquet" } }).catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(AppError);
    expect((empty as AppError).status).toBe(404);
    expect((empty as AppError).message).toMatch(/no rows/);

    await addMembers(id, [annotator]);
    expect(await judgeAll(id, annotator, 3)).toBe(3);
    const names = new Set<string>();
    for (const bundle of ["parquet", "jsonl"] as const) {
      const zip = await exportDataset({ actor, campaignId: id, query: { format: "trl", file: "zip", bundle } });
      names.add(zip.filename);
      const files = unzipSync(await collect(zip.body));
      expect(Object.keys(files).sort()).toEqual(["README.md", `data/train-00000-of-00001.${bundle}`]);
      const readme = strFromU8(files["README.md"]!);
      expect(readme).toContain(`configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-00000-of-00001.${bundle}\n`);
      expect(readme).toContain("  - name: prompt\n    dtype: string\n");
      expect(readme).toContain("  - name: margin\n    dtype: float64\n");
      if (bundle === "parquet") {
        const table = await readParquetArrow(files[`data/train-00000-of-00001.parquet`]!);
        expect(arrowColumnTypes(table)).toEqual({ prompt: "Utf8", chosen: "Utf8", rejected: "Utf8", margin: "Float64" });
        expect(arrowRows(table).map((row) => row.margin)).toEqual([3, 3, 3]);
      }
    }
    expect(names.size).toBe(2);
  });
});
