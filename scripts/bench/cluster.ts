import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { startAnnotators } from "../faults/annotators.ts";
import { setUpCampaign } from "../faults/scenario.ts";
import { ensureHaproxy, startCluster, type Cluster } from "../cluster/cluster.ts";
import { scratchDatabase } from "../lib/databases.ts";
import { machineLine, roundFigures, summarize } from "../lib/figures.ts";
import { buildExists } from "../lib/launch-app.ts";
import { sleep } from "../lib/wait.ts";

/**
 * `npm run bench:cluster`: the same annotation load (N simulated annotators, the loop of the
 * annotation page: next task with prefetch, think, submit) against
 *   - 1 app instance directly, and through HAProxy (the cost of the balancer hop),
 *   - 3 app instances through HAProxy (docs/deploy/haproxy.cfg, round-robin),
 *   - 1 instance directly with ARBITER_RATE_LIMIT=on (the cost of the limits counted in PostgreSQL),
 * each on a fresh campaign, measured after a warm-up. No worker runs (ARBITER_WORKER=off):
 * background jobs wait, so only the web tier is measured. Needs `npm run build` and PostgreSQL.
 *
 * Before the loads, the hop alone: sequential requests that touch no database, direct and through
 * HAProxy. `--rounds N` repeats the direct / HAProxy pair of loads N times, alternating.
 *
 *   npm run bench:cluster -- [--annotators 40] [--think 500] [--seconds 40] [--warmup 10] [--items 1500] [--rounds 1] [--out file.json]
 */
const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) if (argv[i]!.startsWith("--")) args.set(argv[i]!.slice(2), argv[i + 1] ?? "");
const annotators = Number(args.get("annotators") ?? 40);
const thinkMs = Number(args.get("think") ?? 500);
const seconds = Number(args.get("seconds") ?? 40);
const warmupSeconds = Number(args.get("warmup") ?? 10);
const items = Number(args.get("items") ?? 1500);
const firstAppPort = Number(args.get("first-port") ?? 3401);
const balancerPort = Number(args.get("balancer-port") ?? 3420);
const out = args.get("out");
const rounds = Number(args.get("rounds") ?? 1);
const ADMIN = { email: "admin@bench-cluster.local", password: "bench-cluster-password" };

let addressCounter = 0;
const clientAddress = () => ({ "x-forwarded-for": `10.23.${(++addressCounter >> 8) & 255}.${addressCounter & 255}` });

async function measure(label: string, baseUrl: string) {
  const setup = await setUpCampaign({ baseUrl, annotators, items, overlap: 3, admin: ADMIN, clientAddress });
  const load1 = loadavg()[0]!;
  const run = startAnnotators({ baseUrl, campaignId: setup.campaignId, tokens: setup.tokens, thinkMs, rampMs: Math.min(5000, warmupSeconds * 500) });
  await sleep(warmupSeconds * 1000);
  const s = run.stats;
  const from = { judgments: s.acknowledged.size, next: s.nextLatencyMs.length, submit: s.submitLatencyMs.length, errors: s.serverErrors };
  const started = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  const judgments = s.acknowledged.size - from.judgments;
  const next = s.nextLatencyMs.slice(from.next);
  const submit = s.submitLatencyMs.slice(from.submit);
  await run.stop({ drainMs: 15_000 });
  const result = {
    label,
    judgmentsPerSecond: Number((judgments / elapsed).toFixed(1)),
    requestsPerSecond: Number(((next.length + submit.length) / elapsed).toFixed(1)),
    nextTaskMs: roundFigures(summarize(next)),
    submitMs: roundFigures(summarize(submit)),
    serverErrors: s.serverErrors - from.errors,
    statuses: Object.fromEntries(s.statuses),
    loadAverage: { before: Number(load1.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
  };
  console.log(
    `[bench:cluster] ${label.padEnd(34)} ${String(result.judgmentsPerSecond).padStart(6)} judgments/s  tasks/next p50 ${result.nextTaskMs.p50} p99 ${result.nextTaskMs.p99} ms  submit p50 ${result.submitMs.p50} p99 ${result.submitMs.p99} ms  (load ${result.loadAverage.before} → ${result.loadAverage.after})`,
  );
  return result;
}

/**
 * The balancer hop alone: sequential GET /api/health/live (answered by the web server itself, no
 * database), direct and through HAProxy in alternating blocks, so both see the same machine.
 */
async function hop(direct: string, balanced: string, requests = 600) {
  const samples: Record<"direct" | "haproxy", number[]> = { direct: [], haproxy: [] };
  for (let block = 0; block < 6; block++)
    for (const [name, base] of [
      ["direct", direct],
      ["haproxy", balanced],
    ] as const)
      for (let i = 0; i < requests / 6; i++) {
        const started = performance.now();
        const response = await fetch(`${base}/api/health/live`);
        await response.arrayBuffer();
        if (block > 0) samples[name].push(performance.now() - started);
      }
  const result = {
    direct: roundFigures(summarize(samples.direct)),
    haproxy: roundFigures(summarize(samples.haproxy)),
    loadAverage: Number(loadavg()[0]!.toFixed(2)),
  };
  console.log(
    `[bench:cluster] hop, GET /api/health/live: direct p50 ${result.direct.p50} p99 ${result.direct.p99} ms; through HAProxy p50 ${result.haproxy.p50} p99 ${result.haproxy.p99} ms`,
  );
  return result;
}

async function withCluster<T>(options: { instances: number; rateLimit: "on" | "off" }, work: (cluster: Cluster) => Promise<T>): Promise<T> {
  const db = await scratchDatabase("arbiter_bench_cluster");
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster({
      databaseUrl: db.url,
      instances: options.instances,
      workers: 0,
      firstAppPort,
      balancerPort,
      statsPort: balancerPort - 1,
      rateLimit: options.rateLimit,
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      env: { ARBITER_SECRET_KEY: "bench-cluster-secret-key-0123456789abcdef" },
    });
    return await work(cluster);
  } finally {
    await cluster?.stop();
    await db.drop();
  }
}

async function main() {
  if (!buildExists()) throw new Error("No production build: run `npm run build` first.");
  ensureHaproxy();
  console.log(`[bench:cluster] ${annotators} annotators, think ${thinkMs} ms, ${warmupSeconds} s warm-up then ${seconds} s measured per run`);
  const results = [];
  let hopCost: Awaited<ReturnType<typeof hop>> | undefined;
  results.push(
    ...(await withCluster({ instances: 1, rateLimit: "off" }, async (c) => {
      hopCost = await hop(c.appUrl(0), c.balancer.url);
      const runs = [];
      // Alternating, so neither order nor a neighbour's build favours one.
      for (let round = 1; round <= rounds; round++) {
        runs.push(await measure(`1 instance, direct (${round})`, c.appUrl(0)));
        runs.push(await measure(`1 instance, through HAProxy (${round})`, c.balancer.url));
      }
      return runs;
    })),
  );
  results.push(await withCluster({ instances: 3, rateLimit: "off" }, (c) => measure("3 instances, through HAProxy", c.balancer.url)));
  results.push(await withCluster({ instances: 1, rateLimit: "on" }, (c) => measure("1 instance, direct, rate limits on", c.appUrl(0))));
  const report = { machine: machineLine(), config: { annotators, thinkMs, seconds, warmupSeconds, items, rounds }, hop: hopCost, results };
  console.log(JSON.stringify(report, null, 2));
  if (out) writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
