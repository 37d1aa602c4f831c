import { createReadStream, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { exportDataset } from "../src/datasets/export-dataset.ts";
import { getDatasetCard } from "../src/datasets/get-dataset-card.ts";
import { pseudonymizeAnnotator } from "../src/export/pseudonymize-annotator.ts";
import { importItems } from "../src/items/import-items.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers } from "../src/testing/builders.ts";
import type { CampaignConfigInput, TaskTypeInput } from "../src/campaign-config/campaign-config.ts";
import { arrowRows, readParquetArrow } from "./support/read-parquet-arrow.ts";

/**
 * The whole path with the real data sets in ../shared/data: import every row through
 * importItems, annotate a sample through assignNextTask / submitJudgment as real annotators,
 * export every format as JSONL, Parquet and ZIP, and read every row back (Parquet with an
 * Arrow-based reader, as pyarrow and `datasets` read it; ZIP with fflate), comparing with what was submitted.
 */
const dataDir = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));
const available = existsSync(dataDir);
if (!available) console.warn(`Skipping the dataset round-trip tests: ${dataDir} is absent (the shared data sets live beside the repository, see its README).`);

const embedded = inject("embeddedDb");

interface Submitted {
  id: string;
  userId: string;
  itemExternalId: string;
  /** Imported ids of the responses shown, in the item's order. */
  shown: string[];
  winner?: string;
  ranking?: string[][];
  rationale?: string;
  timeMs: number;
}

interface StoredItem {
  externalId: string;
  prompt: string | null;
  messages: Array<{ role: string; content: string }> | null;
  responses: Array<{ externalId: string; content: string; model: string | null }>;
}

const seeded = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

const jsonlRows = (bytes: Uint8Array) => {
  const text = new TextDecoder().decode(bytes);
  if (text === "") return [];
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

/** What a Parquet reader gives for a JSONL row: timestamps as Dates. */
const asParquet = (row: Record<string, unknown>) => ({ ...row, ...(typeof row.createdAt === "string" ? { createdAt: new Date(row.createdAt) } : {}) });

const sortKey = (row: unknown) => JSON.stringify(row);
const sorted = <T>(rows: T[]) => [...rows].sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : sortKey(x) > sortKey(y) ? 1 : 0));

let admin: User;
let researcher: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  researcher = await createTestUser({ role: "researcher" });
});

afterAll(async () => {
  await disconnectPrisma();
});

interface Case {
  file: string;
  taskType: TaskTypeInput;
  config: CampaignConfigInput;
  rows: number;
  format: string;
  /** Tasks each annotator does (sampled so the test stays fast; every row is imported). */
  perAnnotator: number;
}

const cases: Case[] = [
  {
    file: "hh-rlhf_harmless-base_test.jsonl.gz",
    taskType: "pairwise",
    config: { overlap: 2, goldRate: 0, rationale: "optional" },
    rows: 2312,
    format: "hh-rlhf",
    perAnnotator: embedded ? 60 : 150,
  },
  {
    file: "llmbar_natural.json",
    taskType: "pairwise",
    config: { overlap: 2, goldRate: 1, rationale: "optional" },
    rows: 100,
    format: "llmbar",
    perAnnotator: embedded ? 30 : 100,
  },
  {
    file: "llmbar_processed_mt-bench.json",
    taskType: "pairwise",
    config: { overlap: 2, goldRate: 1, rationale: "optional" },
    rows: 200,
    format: "llmbar",
    perAnnotator: embedded ? 30 : 80,
  },
  {
    file: "imagereward_test_rankings.json",
    taskType: "kwise",
    config: { overlap: 2, goldRate: 1, k: 4, rationale: "optional" },
    rows: 466,
    format: "imagereward",
    perAnnotator: embedded ? 30 : 80,
  },
];

describe.skipIf(!available)("dataset round trip with ../shared/data (skipped when the folder is absent)", () => {
  it.each(cases)(
    "$file: import all rows, annotate, export every format and file type, read every row back",
    async (c) => {
      const prisma = getPrisma();
      const campaign = await createTestCampaign({ admin, taskType: c.taskType, config: c.config, status: "draft", name: `Round trip ${c.file}` });
      const adminActor = actorFor(admin);

      const result = await importItems({
        actor: adminActor,
        campaignId: campaign.id,
        // The gold-rate cases use the files' labels as gold, as an admin would choose for them.
        query: c.config.goldRate ? { labelsAsGold: "true" } : {},
        source: createReadStream(`${dataDir}${c.file}`, { highWaterMark: 64 * 1024 }),
      });
      expect(result).toMatchObject({ imported: c.rows, format: c.format });
      expect(await prisma.item.count({ where: { campaignId: campaign.id } })).toBe(c.rows);

      await prisma.campaign.update({ where: { id: campaign.id }, data: { status: "active" } });
      const annotators = await createTestUsers(2, { role: "annotator" });
      await addMembers(campaign.id, annotators);

      const stored = new Map<string, StoredItem>();
      for (const item of await prisma.item.findMany({ where: { campaignId: campaign.id }, include: { responses: { orderBy: { position: "asc" } } } })) {
        stored.set(item.externalId, {
          externalId: item.externalId,
          prompt: item.prompt,
          messages: item.messages as StoredItem["messages"],
          responses: item.responses.map((r) => ({ externalId: r.externalId, content: r.content, model: r.model })),
        });
      }
      const responseExternal = new Map<string, { item: string; externalId: string }>();
      for (const item of await prisma.item.findMany({
        where: { campaignId: campaign.id },
        select: { externalId: true, responses: { select: { id: true, externalId: true } } },
      })) {
        for (const r of item.responses) responseExternal.set(r.id, { item: item.externalId, externalId: r.externalId });
      }

      // Annotator 0 always prefers the first response in the item's own order (or ranks in item order);
      // annotator 1 agrees on even items, reverses on odd ones, and calls every fifth a tie.
      const submitted: Submitted[] = [];
      for (const [a, user] of annotators.entries()) {
        const actor = actorFor(user);
        const random = seeded(17 + a);
        for (let n = 0; n < c.perAnnotator; n++) {
          const task = await assignNextTask({ actor, campaignId: campaign.id, random });
          if (!task) break;
          const item = stored.get(task.item.id)!;
          const order = (id: string) => item.responses.findIndex((r) => r.externalId === responseExternal.get(id)!.externalId);
          const inItemOrder = [...task.candidates].sort((x, y) => order(x.id) - order(y.id));
          const index = item.externalId.length + n;
          const reverse = a === 1 && index % 2 === 1;
          const tie = a === 1 && n % 5 === 0;
          const ids = (reverse ? [...inItemOrder].reverse() : inItemOrder).map((cand) => cand.id);
          const rationale = n % 3 === 0 ? `Annotator ${a} on ${item.externalId}: the first is clearer.` : undefined;
          const input =
            task.comparison === "pairwise"
              ? { winner: tie ? "tie" : ids[0]!, ...(rationale ? { rationale } : {}), timeMs: 1000 + n }
              : {
                  ranking: tie ? [ids.slice(0, 2), ...ids.slice(2).map((id) => [id])] : ids.map((id) => [id]),
                  ...(rationale ? { rationale } : {}),
                  timeMs: 1000 + n,
                };
          const { id } = await submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: `rt-${task.assignmentId}`, input });
          const ext = (cid: string) => responseExternal.get(cid)!.externalId;
          submitted.push({
            id,
            userId: user.id,
            itemExternalId: item.externalId,
            shown: inItemOrder.map((cand) => ext(cand.id)),
            ...("winner" in input ? (input.winner === "tie" ? {} : { winner: ext(input.winner) }) : { ranking: input.ranking.map((tier) => tier.map(ext)) }),
            ...(rationale ? { rationale } : {}),
            timeMs: input.timeMs,
          });
        }
      }
      expect(submitted.length).toBeGreaterThan(c.perAnnotator);
      const salt = (await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).pseudonymSalt;
      const researcherActor = actorFor(researcher);

      // Expected rows, computed here from what was submitted, independently of the row builders.
      const content = (item: StoredItem, id: string) => item.responses.find((r) => r.externalId === id)!.content;
      // One style for the whole export: any multi-turn item makes every prompt a message list.
      const anyMultiTurn = [...stored.values()].some((item) => (item.messages?.length ?? 0) > 0);
      const prompt = (item: StoredItem) =>
        anyMultiTurn ? [...(item.messages ?? []), ...(item.prompt ? [{ role: "user", content: item.prompt }] : [])] : item.prompt;
      const answer = (item: StoredItem, id: string) => (anyMultiTurn ? [{ role: "assistant", content: content(item, id) }] : content(item, id));
      const tiersOf = (s: Submitted): string[][] | null => {
        if (s.ranking) return s.ranking;
        if (s.winner) return [[s.winner], s.shown.filter((id) => id !== s.winner)];
        return [s.shown];
      };
      const bestWorst = (s: Submitted): Array<[string, string]> => {
        const tiers = tiersOf(s)!;
        if (tiers.length < 2) return [];
        return tiers[0]!.flatMap((best) => tiers.at(-1)!.map((worst) => [best, worst] as [string, string]));
      };
      const expected = {
        raw: submitted.map((s) => ({
          id: s.id,
          itemId: s.itemExternalId,
          source: "human",
          annotator: pseudonymizeAnnotator(s.userId, salt),
          judgeModel: null,
          candidateIds: s.shown,
          candidateModels: s.shown.map((id) => stored.get(s.itemExternalId)!.responses.find((r) => r.externalId === id)!.model),
          verdict: s.ranking ? "ranking" : s.winner ? "winner" : "tie",
          winnerId: s.winner ?? null,
          ranking: s.ranking ?? null,
          strength: null,
          confidence: null,
          rationale: s.rationale ?? null,
          attributes: null,
          spans: null,
          timeMs: s.timeMs,
          // No model was trained here: each judgment is in the no-hint arm or had no view to show.
          hintCondition: expect.stringMatching(/^(control|none)$/),
          hintSource: "reward-model",
        })),
        trlAll: submitted.flatMap((s) => {
          const item = stored.get(s.itemExternalId)!;
          return bestWorst(s).map(([chosen, rejected]) => ({ prompt: prompt(item), chosen: answer(item, chosen), rejected: answer(item, rejected) }));
        }),
        rationales: submitted
          .filter((s) => s.rationale)
          .flatMap((s) => {
            const item = stored.get(s.itemExternalId)!;
            return bestWorst(s).map(([chosen, rejected]) => ({
              prompt: prompt(item),
              chosen: answer(item, chosen),
              rejected: answer(item, rejected),
              rationale: s.rationale,
            }));
          }),
        rankings: submitted.map((s) => {
          const item = stored.get(s.itemExternalId)!;
          return {
            prompt: prompt(item),
            responses: s.shown.map((id) => ({ id, content: content(item, id), model: item.responses.find((r) => r.externalId === id)!.model })),
            ranking: tiersOf(s),
          };
        }),
      };
      // Majority over pairs, for pairwise campaigns: a pair is kept when one preference was given strictly most often.
      if (c.taskType === "pairwise") {
        const byItem = new Map<string, Submitted[]>();
        for (const s of submitted) byItem.set(s.itemExternalId, [...(byItem.get(s.itemExternalId) ?? []), s]);
        const majority: unknown[] = [];
        for (const [itemId, judgments] of byItem) {
          const item = stored.get(itemId)!;
          const votes = new Map<string, number>();
          for (const s of judgments) votes.set(s.winner ?? "tie", (votes.get(s.winner ?? "tie") ?? 0) + 1);
          const ranked = [...votes.entries()].sort((x, y) => y[1] - x[1]);
          if (ranked[0]![0] === "tie" || (ranked[1] && ranked[1][1] === ranked[0]![1])) continue;
          const winner = ranked[0]![0];
          const loser = judgments[0]!.shown.find((id) => id !== winner)!;
          majority.push({ prompt: prompt(item), chosen: answer(item, winner), rejected: answer(item, loser) });
        }
        Object.assign(expected, { trlMajority: majority });
      }

      const read = async (query: Record<string, string>) => {
        const jsonl = await exportDataset({ actor: researcherActor, campaignId: campaign.id, query: { ...query, file: "jsonl" } });
        expect(jsonl.filename).toMatch(new RegExp(`-${query.format}-human\\.jsonl$`));
        const rows = jsonlRows(await collect(jsonl.body));
        const parquet = await exportDataset({ actor: researcherActor, campaignId: campaign.id, query: { ...query, file: "parquet" } });
        expect(parquet.filename).toMatch(/\.parquet$/);
        const fromParquet = arrowRows(await readParquetArrow(await collect(parquet.body)));
        expect(fromParquet).toEqual(rows.map(asParquet));
        for (const bundle of ["jsonl", "parquet"] as const) {
          const zip = await exportDataset({ actor: researcherActor, campaignId: campaign.id, query: { ...query, file: "zip", bundle } });
          const files = unzipSync(await collect(zip.body));
          const names = Object.keys(files).sort();
          // A Hugging Face dataset repository; the two variants differ in name.
          expect(names).toEqual(["README.md", `data/train-00000-of-00001.${bundle}`]);
          expect(zip.filename).toMatch(new RegExp(`-${query.format}-human-${bundle}\\.zip$`));
          const data = files[names[1]!]!;
          if (bundle === "jsonl") expect(jsonlRows(data)).toEqual(rows);
          else expect(arrowRows(await readParquetArrow(data))).toEqual(rows.map(asParquet));
          const readme = strFromU8(files["README.md"]!);
          expect(readme).toContain(`  - split: train\n    path: data/train-00000-of-00001.${bundle}\n`);
          const features = [...readme.matchAll(/^ {2}- name: (\w+)$/gm)].map((match) => match[1]);
          expect(features).toEqual(Object.keys(rows[0] ?? {}));
          expect(readme).toContain(`| rows | ${rows.length.toLocaleString("en-US")} |`);
          expect(readme).toContain(`| human judgments | ${submitted.length.toLocaleString("en-US")} |`);
          expect(readme).toContain("| annotators | 2 |");
          expect(readme).toMatch(/\| krippendorffAlpha \| (-?\d\.\d{3}|n\/a) \|/);
        }
        return rows;
      };

      const raw = await read({ format: "raw" });
      expect(raw).toHaveLength(submitted.length);
      for (const row of raw) expect(Number.isNaN(Date.parse(row.createdAt as string))).toBe(false);
      expect(sorted(raw.map(({ createdAt: _createdAt, ...rest }) => rest))).toEqual(sorted(expected.raw));
      expect(JSON.stringify(raw)).not.toMatch(/@test\.arbiter\.local/);

      expect(sorted(await read({ format: "trl", aggregate: "all" }))).toEqual(sorted(expected.trlAll));
      expect(sorted(await read({ format: "rationales" }))).toEqual(sorted(expected.rationales));
      expect(sorted(await read({ format: "rankings" }))).toEqual(sorted(expected.rankings));
      if ("trlMajority" in expected) expect(sorted(await read({ format: "trl" }))).toEqual(sorted(expected.trlMajority as unknown[]));

      // Filters: one annotator by pseudonym (anyone), and by user id (admins only), give that annotator's judgments only.
      const first = annotators[0]!;
      const mine = submitted.filter((s) => s.userId === first.id).length;
      for (const [actor, annotatorId] of [
        [researcherActor, pseudonymizeAnnotator(first.id, salt)],
        [adminActor, pseudonymizeAnnotator(first.id, salt)],
        [adminActor, first.id],
      ] as const) {
        const filtered = jsonlRows(await collect((await exportDataset({ actor, campaignId: campaign.id, query: { format: "raw", annotatorId } })).body));
        expect(filtered).toHaveLength(mine);
      }
      // A researcher who knows a user id learns nothing about their pseudonym.
      await expect(exportDataset({ actor: researcherActor, campaignId: campaign.id, query: { format: "raw", annotatorId: first.id } })).rejects.toMatchObject({
        code: "unprocessable",
      });
      // An export with no rows answers 404 with a message, never an empty file.
      await expect(exportDataset({ actor: researcherActor, campaignId: campaign.id, query: { format: "raw", source: "judge" } })).rejects.toMatchObject({
        code: "not_found",
        message: expect.stringMatching(/no rows/),
      });
      await expect(
        exportDataset({ actor: researcherActor, campaignId: campaign.id, query: { format: "raw", since: new Date(Date.now() + 60_000).toISOString() } }),
      ).rejects.toMatchObject({ code: "not_found" });

      const card = await getDatasetCard({ actor: researcherActor, campaignId: campaign.id, query: { format: "raw", license: "cc-by-4.0" } });
      expect(card.markdown).toMatch(/^---\nlicense: "cc-by-4.0"\n/);
      expect(card.markdown).toContain(`| rows | ${submitted.length.toLocaleString("en-US")} |`);
    },
    300_000,
  );
});
