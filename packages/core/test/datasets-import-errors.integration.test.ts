import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { importItems } from "../src/items/import-items.ts";
import { actorFor, createTestCampaign, createTestUser, makePairwiseItems } from "../src/testing/builders.ts";

/** Bad files through the import API's domain function: a 4xx listing line numbers, and nothing imported. */

const good = (id: string) => JSON.stringify({ id, prompt: `Prompt ${id}`, responses: [{ content: "yes" }, { content: "no" }] });

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) yield typeof part === "string" ? encoder.encode(part) : part;
}

let admin: User;
let campaignId: string;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  campaignId = (await createTestCampaign({ admin, taskType: "pairwise", items: makePairwiseItems(3, { prefix: "existing" }), status: "draft" })).id;
});

afterAll(async () => {
  await disconnectPrisma();
});

async function rejectImport(body: AsyncIterable<Uint8Array>, query: Record<string, string> = {}): Promise<AppError> {
  const before = await getPrisma().item.count({ where: { campaignId } });
  const error = await importItems({ actor: actorFor(admin), campaignId, query, source: body }).then(
    () => {
      throw new Error("the import was accepted");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.status).toBeGreaterThanOrEqual(400);
  expect(appError.status).toBeLessThan(500);
  expect(await getPrisma().item.count({ where: { campaignId } })).toBe(before);
  expect(await getPrisma().response.count({ where: { item: { campaignId } } })).toBe(before * 2);
  return appError;
}

describe("bad item files are refused whole, with line numbers", () => {
  it("truncated JSON on one line of many", async () => {
    const error = await rejectImport(chunks(`${good("n1")}\n${good("n2")}\n{"id":"n3","prompt":"p","responses":[{"content":"a"},{"con\n${good("n4")}\n`));
    expect(error.status).toBe(422);
    expect(error.details).toEqual([{ line: 3, message: expect.stringMatching(/^truncated JSON/) }]);
  });

  it("a JSON array cut off in the middle", async () => {
    const body = JSON.stringify([JSON.parse(good("a1")), JSON.parse(good("a2"))], null, 2).slice(0, -30);
    const error = await rejectImport(chunks(body), { format: "native" });
    expect(error.status).toBe(422);
    expect(error.details?.[0]).toMatchObject({ element: 1, message: expect.stringMatching(/truncated JSON/) });
    expect(error.details?.[0]?.line).toBeGreaterThan(1);
  });

  it("wrong types, missing responses and a single response, each on its line", async () => {
    const body = [
      good("w0"),
      JSON.stringify({ id: "w1", prompt: 42, responses: [{ content: "a" }, { content: "b" }] }),
      JSON.stringify({ id: "w2", prompt: "p", responses: [{ content: "a" }, { content: 7 }] }),
      JSON.stringify({ id: "w3", prompt: "p" }),
      JSON.stringify({ id: "w4", prompt: "p", responses: [{ content: "only one" }] }),
      good("w5"),
    ].join("\n");
    const error = await rejectImport(chunks(body));
    expect(error.status).toBe(422);
    expect(error.details).toEqual([
      { line: 2, message: "prompt: expected string, received number" },
      { line: 3, message: "responses[1].content: expected string, received number" },
      { line: 4, message: "responses is required" },
      { line: 5, message: "an item needs at least two responses; found 1" },
    ]);
    expect(error.message).toMatch(/^4 lines refused \(4 invalid records\); nothing was imported\. First: line 2: /);
  });

  it("an enormous line (over the 8 MiB line limit) is reported without being read", async () => {
    const huge = JSON.stringify({ id: "huge", prompt: "x".repeat(9 * 1024 * 1024), responses: [{ content: "a" }, { content: "b" }] });
    const error = await rejectImport(chunks(`${good("e1")}\n`, huge.slice(0, 4 << 20), huge.slice(4 << 20), `\n${good("e2")}\n`));
    expect(error.status).toBe(422);
    expect(error.details).toEqual([{ line: 2, message: expect.stringMatching(/over the 8 MiB limit/) }]);
  });

  it("bytes that are not UTF-8", async () => {
    const bad = new Uint8Array([
      ...new TextEncoder().encode('{"id":"u1","prompt":"caf'),
      0xe9,
      ...new TextEncoder().encode('","responses":[{"content":"a"},{"content":"b"}]}\n'),
    ]);
    const error = await rejectImport(chunks(`${good("u0")}\n`, bad, `${good("u2")}\n`));
    expect(error.status).toBe(422);
    expect(error.details).toEqual([{ line: 2, message: "the line is not valid UTF-8" }]);
  });

  it("an empty file, a blank file and an empty gzip", async () => {
    for (const body of [chunks(), chunks("\n\n  \n"), chunks(gzipSync(Buffer.alloc(0)))]) {
      const error = await rejectImport(body);
      expect(error.status).toBe(422);
      expect(error.details).toEqual([{ line: 1, message: "file is empty" }]);
    }
  });

  it("an id already in the campaign: 409 with the line, nothing imported", async () => {
    const body = [good("fresh-1"), JSON.stringify({ id: "existing-1", prompt: "p", responses: [{ content: "a" }, { content: "b" }] })].join("\n");
    const error = await rejectImport(chunks(body));
    expect(error.status).toBe(409);
    expect(error.details).toEqual([{ line: 2, status: 409, kind: "already_in_campaign", message: "item id existing-1 is already in this campaign" }]);
  });

  it("counts each bad line once, per kind of problem, and the counts add up to the table", async () => {
    // A wrong format forced: every line has several problems; still one entry per line.
    const hh = JSON.stringify({ chosen: "\n\nHuman: hi\n\nAssistant: hello", rejected: "\n\nHuman: hi\n\nAssistant: no" });
    const forced = await rejectImport(chunks([hh, hh, hh].join("\n") + "\n"), { format: "llmbar" });
    expect(forced.details).toHaveLength(3);
    expect(forced.message).toMatch(/^3 lines refused \(3 invalid records\); nothing was imported/);

    // Invalid records, ids repeated in the file and ids already in the campaign, counted apart.
    const body = [good("existing-1"), good("k1"), good("k1"), JSON.stringify({ id: "k2", prompt: 1 }), good("existing-2")].join("\n");
    const mixed = await rejectImport(chunks(body));
    expect(mixed.details?.map((d) => [d.line, d.kind ?? "invalid"])).toEqual([
      [1, "already_in_campaign"],
      [3, "duplicate_in_file"],
      [4, "invalid"],
      [5, "already_in_campaign"],
    ]);
    expect(mixed.message).toMatch(/^4 lines refused \(1 invalid record, 1 id repeated in the file, 2 ids already in the campaign\); nothing was imported/);
  });
});
