/**
 * Judge-job throughput benchmark (BENCHMARKS.md, "Routing").
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench/judge-jobs.ts [--items 600] [--concurrency 4,16,32] [--latency 0] [--markdown]
 *   npx tsx scripts/bench/judge-jobs.ts --embedded      (the embedded PGlite, one connection)
 *
 * A scratch database (dropped at the end) gets an active all-judge pairwise campaign of
 * `--items` items whose judge is the local OpenAI-compatible test server, answering after
 * `--latency` ms. For each worker concurrency the judge jobs are enqueued and one worker runs
 * them through the durable path — claim, two chat completions per item (both orders), the
 * judgment written in the transaction that completes the job — and jobs/s is measured from the
 * first claim to the last completion. Prints a JSON summary (and table rows with --markdown).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { createThrowawayDatabase } from "@arbiter/db/testing";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "600" },
    concurrency: { type: "string", default: "4,16,32" },
    latency: { type: "string", default: "0" },
    embedded: { type: "boolean", default: false },
    markdown: { type: "boolean", default: false },
  },
});
const itemCount = Number(args.items);
const concurrencies = args.concurrency.split(",").map(Number);
const latencyMs = Number(args.latency);

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl && !args.embedded) {
  console.error("Set DATABASE_URL to a PostgreSQL server (the benchmark creates and drops a scratch database there), or pass --embedded.");
  process.exit(2);
}

async function main() {
  const database = await createThrowawayDatabase({
    serverUrl: args.embedded ? undefined : serverUrl,
    prefix: "arbiter_bench_judge",
    localOnly: true,
    migrate: true,
  });
  // Set before the app's code is loaded: @arbiter/config reads the environment once.
  process.env.ARBITER_EMBEDDED_DB = database.embedded ? "1" : "0";
  process.env.DATABASE_URL = database.url;
  // The judge's test server listens on 127.0.0.1: the judge reaches it only when it is listed.
  process.env.ARBITER_ALLOWED_HOSTS = "127.0.0.1";
  const { resetConfigCache } = await import("@arbiter/config");
  resetConfigCache();
  const { getPrisma, disconnectPrisma } = await import("@arbiter/db");
  const { replyWith, startOpenAITestServer } = await import("@arbiter/judge/testing");
  const { startJobWorker } = await import("@arbiter/core");
  const { createTestCampaign, createTestUser, makePairwiseItems } = await import("@arbiter/core/testing");
  const { campaignJudgeSettings } = await import("@arbiter/core");
  const { enqueueJudgeJobs } = await import("@arbiter/core");
  const { createJudgeJobHandler, JUDGE_QUEUE } = await import("@arbiter/core");

  const server = await startOpenAITestServer({
    handler: () =>
      replyWith(
        { winner: "A", confidence: 0.8, rationale: "Response A answers the question." },
        { usage: { prompt_tokens: 400, completion_tokens: 30 }, delayMs: latencyMs },
      ),
  });
  const adminUser = await createTestUser({ role: "admin" });
  const results: Array<{ concurrency: number; jobs: number; seconds: number; jobsPerSecond: number; requests: number; maxInFlight: number }> = [];
  try {
    for (const concurrency of concurrencies) {
      const campaign = await createTestCampaign({
        admin: adminUser,
        taskType: "pairwise",
        items: makePairwiseItems(itemCount, { prefix: `c${concurrency}` }),
        config: {
          routing: { mode: "all_judge", humanBudget: 0, calibrationFraction: 0, seed: 1 },
          judge: { enabled: true, baseUrl: server.baseUrl, model: "bench-judge", maxConcurrency: 2 * concurrency, maxRetries: 0 },
        },
      });
      const settings = campaignJudgeSettings(campaign.view.config);
      if (!settings) throw new Error("judge settings");
      await enqueueJudgeJobs(getPrisma(), { campaignId: campaign.id, itemIds: campaign.items.map((i) => i.id), settings });
      const requestsBefore = server.requests.length;
      const started = performance.now();
      const worker = startJobWorker({ handlers: [createJudgeJobHandler()], concurrency, pollMs: 50, leaseMs: 60_000, log: () => undefined });
      for (;;) {
        const open = await getPrisma().job.count({ where: { queue: JUDGE_QUEUE, status: { in: ["queued", "running"] } } });
        if (open === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const seconds = (performance.now() - started) / 1000;
      await worker.stop();
      const done = await getPrisma().judgment.count({ where: { campaignId: campaign.id, source: "judge" } });
      if (done !== itemCount) throw new Error(`expected ${itemCount} judgments, found ${done}`);
      results.push({
        concurrency,
        jobs: itemCount,
        seconds: Number(seconds.toFixed(2)),
        jobsPerSecond: Number((itemCount / seconds).toFixed(1)),
        requests: server.requests.length - requestsBefore,
        maxInFlight: server.maxInFlight,
      });
    }
  } finally {
    await server.close();
    await disconnectPrisma();
    await database.drop();
  }
  const summary = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}`,
    database: args.embedded ? "embedded PGlite (1 connection)" : "PostgreSQL server (pool 10)",
    judgeLatencyMs: latencyMs,
    results,
  };
  console.log(JSON.stringify(summary, null, 2));
  if (args.markdown)
    for (const r of results) console.log(`| ${summary.database} | ${latencyMs} ms | ${r.concurrency} | ${r.jobs} | ${r.seconds} s | **${r.jobsPerSecond}** |`);
}

await main();
