/**
 * Parquet import benchmark (issue 15, item 4): the same trl rows imported through importItems
 * (the code behind POST /items) as JSON Lines and as Parquet (row groups of `--group` rows, string
 * columns, Snappy), each into a fresh campaign of a scratch database (dropped at the end):
 * items/s, and the largest RSS / heap over the start (sampled every 25 ms). Parquet is written to
 * a temporary file and decoded one row group at a time, so its memory should follow the row
 * group, not the file.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --expose-gc --import tsx scripts/bench/import-parquet.ts [--rows 100000] [--group 10000]
 */
import { parseArgs } from "node:util";
import { parquetWriteBuffer } from "hyparquet-writer";
import { createThrowawayDatabase } from "@arbiter/db/testing";

const { values: args } = parseArgs({ options: { rows: { type: "string", default: "100000" }, group: { type: "string", default: "10000" } } });
const rowCount = Number(args.rows);
const groupSize = Number(args.group);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error("Set DATABASE_URL to a PostgreSQL server (the benchmark creates and drops a scratch database there).");
  process.exit(2);
}

const words = "the a model answer question because light water reason first second however therefore example value result data people time".split(" ");
const text = (seed: number, length: number) => Array.from({ length }, (_, i) => words[(seed * 31 + i * 7 + ((seed >> 3) % 5)) % words.length]).join(" ");

function files(): { jsonl: Buffer; parquet: Buffer } {
  const prompts = Array.from({ length: rowCount }, (_, i) => `${i}: ${text(i, 30)}`);
  const chosen = Array.from({ length: rowCount }, (_, i) => text(i + 1, 60));
  const rejected = Array.from({ length: rowCount }, (_, i) => text(i + 2, 60));
  const jsonl = Buffer.from(prompts.map((prompt, i) => JSON.stringify({ prompt, chosen: chosen[i], rejected: rejected[i] })).join("\n") + "\n");
  const parquet = Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: "prompt", data: prompts, type: "STRING" },
        { name: "chosen", data: chosen, type: "STRING" },
        { name: "rejected", data: rejected, type: "STRING" },
      ],
      rowGroupSize: groupSize,
    }),
  );
  return { jsonl, parquet };
}

async function* chunks(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += size) yield bytes.subarray(offset, offset + size);
}

const database = await createThrowawayDatabase({ serverUrl, prefix: "arbiter_bench_parquet", migrate: true, localOnly: true });
process.env.DATABASE_URL = database.url;
const { disconnectPrisma } = await import("@arbiter/db");
const { importItems } = await import("@arbiter/core");
const { actorFor, createTestCampaign, createTestUser } = await import("@arbiter/core/testing");
try {
  const admin = await createTestUser({ role: "admin" });
  let { jsonl, parquet } = files();
  console.log(`${rowCount.toLocaleString("en")} trl rows (text columns); Parquet in row groups of ${groupSize.toLocaleString("en")}`);
  console.log("| file | size | imported | time | items/s | peak RSS over start | peak heap over start |");
  console.log("|---|---|---|---|---|---|---|");
  for (const [name, bytes] of [
    ["JSON Lines", jsonl],
    ["Parquet", parquet],
  ] as const) {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", status: "draft", name: `Bench ${name}` });
    globalThis.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 25);
    const started = performance.now();
    const result = await importItems({ actor: actorFor(admin), campaignId: campaign.id, query: {}, source: chunks(bytes) });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const mib = (n: number) => (n / 1024 / 1024).toFixed(0);
    console.log(
      `| ${name} | ${mib(bytes.byteLength)} MiB | ${result.imported.toLocaleString("en")} | ${seconds.toFixed(1)} s | ${Math.round(result.imported / seconds).toLocaleString("en")} | +${mib(peakRss - base.rss)} MiB | +${mib(peakHeap - base.heapUsed)} MiB |`,
    );
  }
  jsonl = parquet = Buffer.alloc(0);
} finally {
  await disconnectPrisma();
  await database.drop();
}
