import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { startAnnotators } from "../faults/annotators.ts";
import { scratchDatabase } from "../lib/databases.ts";
import { machineLine, roundFigures, summarize } from "../lib/figures.ts";
import { buildExists, launchApp } from "../lib/launch-app.ts";
import { setUpCampaign, verifyIntegrity } from "../faults/scenario.ts";

/**
 * `npm run bench:load`: N simulated annotators run the full loop of the annotation page (next
 * task with prefetch, think time, submit with an Idempotency-Key, outbox retries) against the
 * production build on the PostgreSQL server, for a fixed time or until the campaign is done.
 * Reports throughput, latency percentiles and errors, then proves exactly-once: every
 * acknowledged judgment is in the raw export exactly once (and in the paged judgment API and
 * the database), nothing else is, and no item has more human judgments than its overlap.
 *
 *   npm run bench:load -- [--annotators 100] [--items 2000] [--overlap 3] [--think 1000] [--seconds 60] [--ramp <s, default think>] [--out file.json]
 *
 * Needs `npm run build` first and a local PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++)
  if (argv[i]!.startsWith("--")) args.set(argv[i]!.slice(2), argv[i + 1] && !argv[i + 1]!.startsWith("--") ? argv[++i]! : "true");
const annotators = Number(args.get("annotators") ?? 100);
const items = Number(args.get("items") ?? 2000);
const overlap = Number(args.get("overlap") ?? 3);
const thinkMs = Number(args.get("think") ?? 1000);
const seconds = Number(args.get("seconds") ?? 60);
const rampMs = Number(args.get("ramp") ?? thinkMs / 1000) * 1000;
const out = args.get("out");

async function main() {
  if (!buildExists()) throw new Error("No production build: run `npm run build` first.");
  const db = await scratchDatabase("arbiter_bench_load");
  // Rate limits off as for every benchmark: N annotators sign in from one address here.
  const app = await launchApp({ database: db, rateLimit: "off", env: { ARBITER_DB_POOL_MAX: "10" } });
  try {
    const setup = await setUpCampaign({ baseUrl: app.baseUrl, annotators, items, overlap });
    console.log(
      `[load] ${annotators} annotators (starting over ${rampMs / 1000} s), ${items} items × overlap ${overlap}, think ${thinkMs} ms, up to ${seconds} s`,
    );
    const started = performance.now();
    const run = startAnnotators({ baseUrl: app.baseUrl, campaignId: setup.campaignId, tokens: setup.tokens, thinkMs, rampMs });
    const timer = setTimeout(() => void run.stop({ drainMs: 30_000 }), seconds * 1000);
    const ticker = setInterval(
      () => console.log(`[load] ${((performance.now() - started) / 1000).toFixed(0)} s: ${run.stats.acknowledged.size} judgments`),
      10_000,
    );
    await run.done;
    clearTimeout(timer);
    clearInterval(ticker);
    const elapsed = (performance.now() - started) / 1000;
    const s = run.stats;
    const integrity = await verifyIntegrity({
      baseUrl: app.baseUrl,
      adminToken: setup.adminToken,
      campaignId: setup.campaignId,
      databaseUrl: db.url,
      overlap,
      acknowledged: [...s.acknowledged.keys()],
      pending: s.pending.length,
    });
    const requests = s.nextLatencyMs.length + s.submitLatencyMs.length;
    const result = {
      machine: machineLine(),
      cpus: cpus().length,
      config: { annotators, items, overlap, thinkMs, seconds, rampSeconds: rampMs / 1000 },
      load: {
        seconds: Number(elapsed.toFixed(1)),
        judgments: s.acknowledged.size,
        judgmentsPerSecond: Number((s.acknowledged.size / elapsed).toFixed(1)),
        requestsPerSecond: Number((requests / elapsed).toFixed(1)),
        campaignFinished: s.finished === annotators,
        nextTaskMs: roundFigures(summarize(s.nextLatencyMs)),
        submitMs: roundFigures(summarize(s.submitLatencyMs)),
        statuses: Object.fromEntries(s.statuses),
        refused: s.refused.length,
        serverErrors: s.serverErrors,
        pendingAtEnd: s.pending.length,
        samples: s.samples,
      },
      integrity,
    };
    console.log(JSON.stringify(result, null, 2));
    if (out) writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    if (!integrity.ok || s.serverErrors > 0 || s.pending.length > 0) process.exitCode = 1;
  } finally {
    await app.stop();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
