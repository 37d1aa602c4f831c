/**
 * Import and export benchmark (BENCHMARKS.md, "Import and export").
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --expose-gc --import tsx scripts/bench/import-export.ts [--items 100000] [--annotators 10] [--markdown]
 * (`--expose-gc` lets each phase start from a collected heap; plain `npx tsx …` works too.)
 *
 * On the PostgreSQL server named by DATABASE_URL it creates a scratch database (dropped at the
 * end), then measures:
 *  1. import: `--items` generated pairwise items streamed as JSONL through importItems (the
 *     code behind POST /items): items/s and peak RSS;
 *  2. export: items × `--annotators` judgments, inserted with one `INSERT … SELECT` over
 *     `generate_series` (not through the API: that would measure annotation, not export), read
 *     back by exportDataset (the code behind GET /export) as raw JSONL, raw Parquet and trl
 *     JSONL: rows/s and RSS sampled every 25 ms;
 *  3. the same raw rows (the same join: judgment, item id, candidates, winner) written by
 *     Postgres itself with `COPY (SELECT …) TO STDOUT` through pg-copy-streams, in the same run.
 * Prints a JSON summary; `--markdown` prints the table rows for BENCHMARKS.md as well.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { createThrowawayDatabase } from "@arbiter/db/testing";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "100000" },
    annotators: { type: "string", default: "10" },
    markdown: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const itemCount = Number(args.items);
const annotatorCount = Number(args.annotators);

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error(
    "Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres): the benchmark creates and drops a scratch database there.",
  );
  process.exit(2);
}

/** Peak and samples of the resident set size while `work` runs. */
async function withMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMiB: number; startRssMiB: number; peakHeapMiB: number; samples: number[] }> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage().rss;
  const samples: number[] = [];
  let peak = start;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    samples.push(rss);
    if (rss > peak) peak = rss;
    if (heapUsed > peakHeap) peakHeap = heapUsed;
  }, 25);
  const t0 = performance.now();
  try {
    const result = await work();
    const seconds = (performance.now() - t0) / 1000;
    const end = process.memoryUsage().rss;
    peak = Math.max(peak, end);
    return { result, seconds, peakRssMiB: peak / 1048576, startRssMiB: start / 1048576, peakHeapMiB: peakHeap / 1048576, samples };
  } finally {
    clearInterval(timer);
  }
}

/** RSS at the 10 %, 50 % and 90 % marks of a run, to show whether memory grows with the rows. */
const marks = (samples: number[]) => [0.1, 0.5, 0.9].map((f) => Math.round((samples[Math.floor(f * (samples.length - 1))] ?? 0) / 1048576));

async function* generatedItems(n: number): AsyncGenerator<string> {
  let chunk = "";
  for (let i = 0; i < n; i++) {
    chunk += `${JSON.stringify({
      id: `bench-${i}`,
      prompt: `Question ${i}: explain why the sky looks blue at noon and red at sunset, in two sentences.`,
      responses: [
        {
          id: "a",
          content: `Answer A to ${i}: Rayleigh scattering favours short wavelengths; at sunset light crosses more air, so blue is scattered away.`,
          model: "model-a",
        },
        { id: "b", content: `Answer B to ${i}: The sky reflects the ocean.`, model: "model-b" },
      ],
    })}\n`;
    if (chunk.length > 256 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

async function main() {
  const database = await createThrowawayDatabase({ serverUrl, prefix: "arbiter_bench", migrate: true });
  const benchUrl = database.url;
  process.env.DATABASE_URL = benchUrl;
  process.env.ARBITER_EMBEDDED_DB = "0";
  const { disconnectPrisma, getPrisma } = await import("@arbiter/db");
  const { importItems, exportDataset } = await import("@arbiter/core");
  const { actorFor, createTestCampaign, createTestUser, createTestUsers } = await import("@arbiter/core/testing");

  const summary: Record<string, unknown> = {
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    date: new Date().toISOString().slice(0, 10),
    items: itemCount,
  };
  try {
    const prisma = getPrisma();
    const adminUser = await createTestUser({ role: "admin" });
    const researcher = actorFor(await createTestUser({ role: "researcher" }));
    const campaign = await createTestCampaign({
      admin: adminUser,
      taskType: "pairwise",
      config: { overlap: annotatorCount },
      status: "draft",
      name: "Import/export benchmark",
    });

    const imported = await withMemory(() =>
      importItems({ actor: actorFor(adminUser), campaignId: campaign.id, query: { format: "native" }, source: generatedItems(itemCount) }),
    );
    if (imported.result.imported !== itemCount) throw new Error(`imported ${imported.result.imported} of ${itemCount}`);
    summary.import = {
      items: itemCount,
      seconds: +imported.seconds.toFixed(2),
      itemsPerSecond: Math.round(itemCount / imported.seconds),
      startRssMiB: Math.round(imported.startRssMiB),
      peakRssMiB: Math.round(imported.peakRssMiB),
      peakHeapMiB: Math.round(imported.peakHeapMiB),
    };
    console.error(`import: ${JSON.stringify(summary.import)}`);

    const annotators = await createTestUsers(annotatorCount, { role: "annotator", prefix: "bench" });
    const userIds = annotators.map((u) => u.id);
    const t0 = performance.now();
    const inserted = await prisma.$executeRaw`
      INSERT INTO judgments (campaign_id, item_id, source, user_id, verdict, winner_id, presented_order, rationale, time_ms, created_at)
      SELECT i.campaign_id, i.id, 'human', (${userIds}::text[])[a.n + 1], 'winner',
             CASE WHEN (i.position + a.n) % 3 = 0 THEN rb.id ELSE ra.id END,
             ARRAY[ra.id, rb.id],
             CASE WHEN (i.position + a.n) % 4 = 0 THEN 'A explains the physics; B is wrong.' END,
             800 + ((i.position * 7 + a.n * 13) % 20000),
             now() - make_interval(secs => i.position + a.n)
      FROM items i
      JOIN responses ra ON ra.item_id = i.id AND ra.position = 0
      JOIN responses rb ON rb.item_id = i.id AND rb.position = 1
      CROSS JOIN generate_series(0, ${annotatorCount - 1}::int) AS a(n)
      WHERE i.campaign_id = ${campaign.id}::uuid`;
    await prisma.$executeRaw`UPDATE items SET human_count = ${annotatorCount}::int WHERE campaign_id = ${campaign.id}::uuid`;
    await prisma.$executeRawUnsafe("ANALYZE judgments; ANALYZE items; ANALYZE responses");
    summary.generatedJudgments = { rows: inserted, seconds: +((performance.now() - t0) / 1000).toFixed(1) };
    console.error(`generated ${inserted} judgments`);

    const runExport = async (query: Record<string, string>) => {
      const run = await withMemory(async () => {
        const download = await exportDataset({ actor: researcher, campaignId: campaign.id, query });
        let bytes = 0;
        for await (const chunk of download.body) bytes += chunk.byteLength;
        return { bytes, rows: download.counts.rows, judgments: download.counts.judgments };
      });
      const figures = {
        query: new URLSearchParams(query).toString(),
        judgmentsRead: run.result.judgments,
        rows: run.result.rows,
        MiB: +(run.result.bytes / 1048576).toFixed(1),
        seconds: +run.seconds.toFixed(2),
        judgmentsPerSecond: Math.round(run.result.judgments / run.seconds),
        rowsPerSecond: Math.round(run.result.rows / run.seconds),
        startRssMiB: Math.round(run.startRssMiB),
        peakRssMiB: Math.round(run.peakRssMiB),
        peakHeapMiB: Math.round(run.peakHeapMiB),
        rssAt10_50_90MiB: marks(run.samples),
      };
      console.error(`export: ${JSON.stringify(figures)}`);
      return figures;
    };

    // COPY of the same rows as the raw export: the judgment, its item's imported id, the
    // candidates shown (ids and models), the winner's imported id and every other field.
    const copyRun = await withMemory(async () => {
      const client = new pg.Client({ connectionString: benchUrl });
      await client.connect();
      try {
        const stream = client.query(
          copyTo(`COPY (
          SELECT j.id, i.external_id AS item_id, j.source, j.user_id, j.judge_model,
                 (SELECT json_agg(r.external_id ORDER BY r.position) FROM responses r WHERE r.id = ANY(j.presented_order)) AS candidate_ids,
                 (SELECT json_agg(r.model ORDER BY r.position) FROM responses r WHERE r.id = ANY(j.presented_order)) AS candidate_models,
                 j.verdict, w.external_id AS winner_id, j.ranking, j.strength, j.confidence, j.rationale, j.attributes, j.spans, j.time_ms, j.created_at,
                 i.prompt, i.messages
          FROM judgments j JOIN items i ON i.id = j.item_id LEFT JOIN responses w ON w.id = j.winner_id
          WHERE j.campaign_id = '${campaign.id}'
          ORDER BY i.position, i.id, j.id
        ) TO STDOUT (FORMAT csv)`),
        );
        let bytes = 0;
        let rows = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          bytes += chunk.byteLength;
          for (let k = 0; k < chunk.length; k++) if (chunk[k] === 10) rows++;
        }
        return { bytes, rows };
      } finally {
        await client.end();
      }
    });
    const copy = {
      rows: copyRun.result.rows,
      MiB: +(copyRun.result.bytes / 1048576).toFixed(1),
      seconds: +copyRun.seconds.toFixed(2),
      rowsPerSecond: Math.round(copyRun.result.rows / copyRun.seconds),
    };
    console.error(`copy: ${JSON.stringify(copy)}`);

    const raw = await runExport({ format: "raw", source: "human", file: "jsonl" });
    const rawParquet = await runExport({ format: "raw", source: "human", file: "parquet" });
    const trl = await runExport({ format: "trl", source: "human", file: "jsonl" });
    const trlParquet = await runExport({ format: "trl", source: "human", file: "parquet" });
    summary.copy = copy;
    summary.export = { raw, rawParquet, trl, trlParquet };
    summary.rawJsonlVsCopy = +(raw.rowsPerSecond / copy.rowsPerSecond).toFixed(2);
    summary.rawParquetVsCopy = +(rawParquet.rowsPerSecond / copy.rowsPerSecond).toFixed(2);
    console.log(JSON.stringify(summary, null, 2));
    if (args.markdown) {
      console.log(
        [
          `| import ${itemCount.toLocaleString("en-US")} items (native JSONL, importItems) | ${summary.import && (summary.import as { itemsPerSecond: number }).itemsPerSecond.toLocaleString("en-US")} items/s | peak RSS ${(summary.import as { peakRssMiB: number }).peakRssMiB} MiB |`,
          `| COPY (SELECT …) TO STDOUT, same ${copy.rows.toLocaleString("en-US")} raw rows (CSV) | ${copy.rowsPerSecond.toLocaleString("en-US")} rows/s | — |`,
          ...[
            ["raw JSONL", raw],
            ["raw Parquet", rawParquet],
            ["trl JSONL (majority)", trl],
            ["trl Parquet (majority)", trlParquet],
          ].map(([name, f]) => {
            const x = f as typeof raw;
            return `| export ${name}: ${x.judgmentsRead.toLocaleString("en-US")} judgments → ${x.rows.toLocaleString("en-US")} rows | ${x.judgmentsPerSecond.toLocaleString("en-US")} judgments/s (${((x.judgmentsPerSecond / copy.rowsPerSecond) * 100).toFixed(0)} % of COPY) | RSS ${x.startRssMiB} → peak ${x.peakRssMiB} MiB (at 10/50/90 %: ${x.rssAt10_50_90MiB.join(" / ")}), heap peak ${x.peakHeapMiB} MiB |`;
          }),
        ].join("\n"),
      );
    }
  } finally {
    await disconnectPrisma();
    if (!args.keep) await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
