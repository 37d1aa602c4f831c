/**
 * Import benchmark (BENCHMARKS.md, "Import at COPY speed", issue 21).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --expose-gc --import tsx scripts/bench/import.ts [--items 100000,1000000]
 *   node --expose-gc --import tsx scripts/bench/import.ts --embedded [--items 100000]
 *
 * For each size, in a scratch database (dropped at the end), with the items and responses tables
 * emptied before each run so every run starts from the same empty tables:
 *  1. baseline: the same generated rows written by Postgres's own `COPY … FROM STDIN` (text format)
 *     straight into `items` and `responses` in one transaction: no parsing, no checks. On the
 *     embedded database (whose socket has no COPY-in) its own `COPY … FROM '/dev/blob'`, the rows
 *     handed over in memory;
 *  2. import: the same items as native JSONL streamed through importItems (the code behind
 *     POST /items): items/s, % of the baseline, RSS and heap sampled every 25 ms.
 *  3. with `--annotators N`: N annotators of another, active campaign loop over assignNextTask
 *     (the code behind GET /tasks/next) and skipTask in this process (as in the server: the same
 *     event loop and pool) for 15 s with no import, then during the import: p50 / p99 of tasks/next.
 * Items are native pairwise: a prompt of 80–300 characters and two responses of 150–450 (words
 * drawn by a seeded generator), ≈ 0.9 KB of JSONL per item, so 1,000,000 items stay under the
 * 1 GiB upload limit.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { createThrowawayDatabase } from "@arbiter/db/testing";
import { applyMigrations } from "@arbiter/db/migrate";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "100000" },
    embedded: { type: "boolean", default: false },
    markdown: { type: "boolean", default: false },
    annotators: { type: "string", default: "0" },
  },
});
const sizes = args.items.split(",").map(Number);
const serverUrl = process.env.DATABASE_URL;
if (!args.embedded && !serverUrl) {
  console.error("Set DATABASE_URL to a PostgreSQL server (the benchmark creates and drops a scratch database there), or pass --embedded.");
  process.exit(2);
}

const WORDS =
  "the a model answer question because light water reason first second however therefore example value result data people time year way day thing world life hand part child eye woman place work week case point government company number group problem fact explain short long blue red sky sunset scattering wavelength physics ocean".split(
    " ",
  );

/** Deterministic text: the same seed gives the same words, so the baseline and the import write the same rows. */
function text(seed: number, min: number, max: number): string {
  let x = seed * 2654435761 + 1;
  const next = () => {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    return x;
  };
  const length = min + (next() % (max - min));
  let out = "";
  while (out.length < length) out += (out ? " " : "") + WORDS[next() % WORDS.length];
  return `${out.slice(0, length)}.`;
}

function benchItem(i: number) {
  return {
    id: `bench-${i}`,
    prompt: `Q${i}: ${text(i * 3, 80, 300)}`,
    responses: [
      { id: "a", content: text(i * 3 + 1, 150, 450), model: "model-a" },
      { id: "b", content: text(i * 3 + 2, 150, 450), model: "model-b" },
    ],
  };
}

async function* inChunks(n: number, line: (i: number) => string): AsyncGenerator<string> {
  let chunk = "";
  for (let i = 0; i < n; i++) {
    chunk += line(i);
    if (chunk.length > 256 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

const esc = (v: string) => v.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
const itemUuid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
const itemCopyLine = (campaignId: string) => (i: number) => {
  const item = benchItem(i);
  return `${itemUuid(i)}\t${campaignId}\t${item.id}\t${i}\t${esc(item.prompt)}\t\\N\t\\N\t\\N\t\\N\tf\n`;
};
const responseCopyLines = (i: number) => {
  const item = benchItem(i);
  return item.responses.map((r, p) => `${itemUuid(i)}\t${r.id}\t${p}\t${esc(r.content)}\t${r.model}\t\\N\n`).join("");
};
const ITEM_COPY = "COPY items (id, campaign_id, external_id, position, prompt, messages, media, metadata, gold, is_gold)";
const RESPONSE_COPY = "COPY responses (item_id, external_id, position, content, model, metadata)";

async function withMemory<T>(work: () => Promise<T>) {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage();
  const rss: number[] = [];
  const heap: number[] = [];
  const live: number[] = [];
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  }, 25);
  // The live heap: collected every 2 s (with --expose-gc), what is still reachable then.
  const gc = (globalThis as { gc?: () => void }).gc;
  const liveTimer = setInterval(() => {
    if (!gc) return;
    gc();
    live.push(process.memoryUsage().heapUsed);
  }, 2_000);
  const t0 = performance.now();
  try {
    const result = await work();
    return {
      result,
      seconds: (performance.now() - t0) / 1000,
      startRssMiB: Math.round(start.rss / 1048576),
      peakRssMiB: Math.round(Math.max(start.rss, ...rss) / 1048576),
      startHeapMiB: Math.round(start.heapUsed / 1048576),
      peakHeapMiB: Math.round(Math.max(start.heapUsed, ...heap) / 1048576),
      rssAt10_50_90MiB: [0.1, 0.5, 0.9].map((f) => Math.round((rss[Math.floor(f * (rss.length - 1))] ?? 0) / 1048576)),
      heapAt10_50_90MiB: [0.1, 0.5, 0.9].map((f) => Math.round((heap[Math.floor(f * (heap.length - 1))] ?? 0) / 1048576)),
      liveHeapAt10_50_90_100MiB: [0.1, 0.5, 0.9, 1].map((f) => Math.round((live[Math.floor(f * (live.length - 1))] ?? 0) / 1048576)),
    };
  } finally {
    clearInterval(timer);
    clearInterval(liveTimer);
  }
}

async function main() {
  let url: string;
  let stop: () => Promise<void>;
  let pglite: PGlite | undefined;
  if (args.embedded) {
    pglite = await PGlite.create();
    const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 4 });
    await server.start();
    url = `postgres://postgres:postgres@127.0.0.1:${Number(server.getServerConn().split(":").pop())}/postgres?sslmode=disable`;
    await applyMigrations({ connectionString: url });
    stop = async () => {
      await server.stop();
      await pglite?.close();
    };
  } else {
    const database = await createThrowawayDatabase({ serverUrl, prefix: "arbiter_bench_import", migrate: true, localOnly: true });
    url = database.url;
    stop = () => database.drop();
  }
  process.env.DATABASE_URL = url;
  process.env.ARBITER_EMBEDDED_DB = args.embedded ? "1" : "0";
  const { disconnectPrisma, getRawDb } = await import("@arbiter/db");
  const { importItems, assignNextTask, skipTask } = await import("@arbiter/core");
  const { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makePairwiseItems } = await import("@arbiter/core/testing");
  const annotatorCount = Number(args.annotators);

  /** Annotators taking (then skipping) tasks until `until` resolves: the latency of each tasks/next. */
  async function liveCampaign() {
    const annotated = await createTestCampaign({ admin, taskType: "pairwise", items: makePairwiseItems(5_000, { prefix: "live" }), name: "Live campaign" });
    const users = await createTestUsers(annotatorCount, { role: "annotator", prefix: "live" });
    await addMembers(annotated.id, users);
    return { annotated, users };
  }
  async function annotate(live: Awaited<ReturnType<typeof liveCampaign>>, until: Promise<unknown>) {
    const { annotated, users } = live;
    const latencies: number[] = [];
    let done = false;
    void until.finally(() => (done = true));
    await Promise.all(
      users.map(async (user) => {
        const actor = actorFor(user);
        while (!done) {
          const t0 = performance.now();
          const task = await assignNextTask({ actor, campaignId: annotated.id });
          latencies.push(performance.now() - t0);
          if (!task) break;
          await skipTask({ actor, assignmentId: task.assignmentId, input: {} });
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const at = (q: number) => +(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(1);
    return { requests: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
  }

  const admin = await createTestUser({ role: "admin" });
  const summary: Record<string, unknown> = {
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    database: args.embedded ? "embedded PGlite (in this process)" : "PostgreSQL server",
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
    runs: [] as unknown[],
  };
  const rows: string[] = [];
  try {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", status: "draft", name: "Import benchmark" });
    const empty = async () => {
      await getRawDb().$executeRaw`TRUNCATE items CASCADE`;
      await getRawDb().$executeRaw`VACUUM ANALYZE items`.catch(() => undefined);
      await getRawDb().$executeRaw`VACUUM ANALYZE responses`.catch(() => undefined);
    };

    for (const n of sizes) {
      await empty();
      const baseline = await withMemory(async () => {
        if (pglite) {
          // PGlite's own COPY reads a blob handed over in memory (its COPY-in over the socket is not supported).
          const collect = async (chunks: AsyncIterable<string>) => {
            const parts: string[] = [];
            for await (const c of chunks) parts.push(c);
            return new Blob(parts);
          };
          await pglite.query("BEGIN");
          await pglite.query(`${ITEM_COPY} FROM '/dev/blob'`, [], { blob: await collect(inChunks(n, itemCopyLine(campaign.id))) });
          await pglite.query(`${RESPONSE_COPY} FROM '/dev/blob'`, [], { blob: await collect(inChunks(n, responseCopyLines)) });
          await pglite.query("COMMIT");
          return n;
        }
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query("BEGIN");
          await pipeline(Readable.from(inChunks(n, itemCopyLine(campaign.id))), client.query(copyFrom(`${ITEM_COPY} FROM STDIN`)));
          await pipeline(Readable.from(inChunks(n, responseCopyLines)), client.query(copyFrom(`${RESPONSE_COPY} FROM STDIN`)));
          await client.query("COMMIT");
        } finally {
          await client.end();
        }
        return n;
      });
      const [{ count: copied } = { count: 0n }] = await getRawDb().$queryRaw<Array<{ count: bigint }>>`SELECT count(*) FROM responses`;
      if (Number(copied) !== 2 * n) throw new Error(`baseline wrote ${copied} responses, not ${2 * n}`);
      await empty();

      let bytes = 0;
      async function* jsonl(): AsyncGenerator<Uint8Array> {
        const encoder = new TextEncoder();
        for await (const chunk of inChunks(n, (i) => `${JSON.stringify(benchItem(i))}\n`)) {
          const b = encoder.encode(chunk);
          bytes += b.byteLength;
          yield b;
        }
      }
      const live = annotatorCount > 0 ? await liveCampaign() : undefined;
      const idle = live ? await annotate(live, new Promise((resolve) => setTimeout(resolve, 15_000))) : undefined;
      let duringImport: Awaited<ReturnType<typeof annotate>> | undefined;
      const imported = await withMemory(async () => {
        const importing = importItems({ actor: actorFor(admin), campaignId: campaign.id, query: { format: "native" }, source: jsonl() });
        if (live) duringImport = await annotate(live, importing);
        return importing;
      });
      if (imported.result.imported !== n) throw new Error(`imported ${imported.result.imported} of ${n}`);
      const run = {
        items: n,
        jsonlMiB: +(bytes / 1048576).toFixed(1),
        copy: { seconds: +baseline.seconds.toFixed(2), itemsPerSecond: Math.round(n / baseline.seconds), peakRssMiB: baseline.peakRssMiB },
        import: {
          seconds: +imported.seconds.toFixed(2),
          itemsPerSecond: Math.round(n / imported.seconds),
          ofCopy: +(baseline.seconds / imported.seconds).toFixed(2),
          startRssMiB: imported.startRssMiB,
          peakRssMiB: imported.peakRssMiB,
          rssAt10_50_90MiB: imported.rssAt10_50_90MiB,
          startHeapMiB: imported.startHeapMiB,
          peakHeapMiB: imported.peakHeapMiB,
          heapAt10_50_90MiB: imported.heapAt10_50_90MiB,
          liveHeapAt10_50_90_100MiB: imported.liveHeapAt10_50_90_100MiB,
        },
      };
      if (idle) Object.assign(run, { tasksNext: { annotators: annotatorCount, idle, duringImport } });
      (summary.runs as unknown[]).push(run);
      console.error(JSON.stringify(run));
      rows.push(
        `| ${summary.database} | ${n.toLocaleString("en-US")} (${run.jsonlMiB} MiB) | ${run.copy.itemsPerSecond.toLocaleString("en-US")} items/s (${run.copy.seconds} s) | ${run.import.itemsPerSecond.toLocaleString("en-US")} items/s (${run.import.seconds} s) | ${Math.round(run.import.ofCopy * 100)} % | RSS ${run.import.startRssMiB} → peak ${run.import.peakRssMiB} MiB (10/50/90 %: ${run.import.rssAt10_50_90MiB.join(" / ")}); heap ${run.import.startHeapMiB} → peak ${run.import.peakHeapMiB} MiB (${run.import.heapAt10_50_90MiB.join(" / ")}); live heap after GC at 10/50/90/100 %: ${run.import.liveHeapAt10_50_90_100MiB.join(" / ")} MiB |`,
      );
    }
    console.log(JSON.stringify(summary, null, 2));
    if (args.markdown) console.log(rows.join("\n"));
  } finally {
    await disconnectPrisma();
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
