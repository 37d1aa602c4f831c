import { randomUUID } from "node:crypto";
import pg from "pg";
import { startOpenAITestServer } from "@arbiter/judge/testing";
import { startAnnotators } from "../faults/annotators.ts";
import { report, type FaultResult } from "../faults/report.ts";
import { setUpCampaign, verifyIntegrity } from "../faults/scenario.ts";
import { scratchDatabase } from "../lib/databases.ts";
import { roundFigures, summarize } from "../lib/figures.ts";
import { createCampaign, rawExport, tokenFor } from "../lib/fixtures.ts";
import { expectStatus, http } from "../lib/http-client.ts";
import { buildExists } from "../lib/launch-app.ts";
import { sleep, waitFor } from "../lib/wait.ts";
import { ensureHaproxy, startCluster, type Cluster } from "./cluster.ts";

/**
 * `npm run test:cluster`: 3 production app instances (ARBITER_WORKER=off, rate limits on) and 2
 * `npm run worker` processes on a fresh database on the local PostgreSQL server (DATABASE_URL),
 * behind HAProxy configured by docs/deploy/haproxy.cfg (round-robin, no stickiness; installed
 * from Debian's packages when missing). Needs the production build (`npm run build`) first.
 *
 * While simulated annotators work through a campaign via the balancer, an LLM-judge campaign
 * (the judge package's OpenAI-compatible test server, ~1 s a call) runs on the workers; one app
 * instance and then one worker are killed with `kill -9` mid-load and restarted after a pause.
 * Then: every acknowledged judgment stored exactly once and nothing else, no item over its
 * overlap, no (item, annotator) twice, every judge job done and every judge item judged once,
 * the sign-in limit (and the token endpoint's) holds across instances — the 11th attempt is
 * refused whichever instance gets it — and a session and a token made through the balancer
 * are valid on every instance (and, revoked, on none). Exits 1 on any violation.
 *
 *   npm run test:cluster -- [--annotators 30] [--items 150] [--overlap 3] [--judge-items 120] [--first-port 3401] [--balancer-port 3420]
 */
const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) if (argv[i]!.startsWith("--")) args.set(argv[i]!.slice(2), argv[i + 1] ?? "");
const annotators = Number(args.get("annotators") ?? 30);
const items = Number(args.get("items") ?? 150);
const overlap = Number(args.get("overlap") ?? 3);
const judgeItems = Number(args.get("judge-items") ?? 120);
const firstAppPort = Number(args.get("first-port") ?? 3401);
const balancerPort = Number(args.get("balancer-port") ?? 3420);
const statsPort = Number(args.get("stats-port") ?? balancerPort - 1);
const INSTANCES = 3;
const WORKERS = 2;
const leaseMinutes = 0.1;
const ADMIN = { email: "admin@cluster.local", password: "cluster-admin-password" };

let addressCounter = 0;
/** A client address of its own (X-Forwarded-For, believed from 127.0.0.1: the balancer and this script both are). */
const clientAddress = () => ({ "x-forwarded-for": `10.22.${(++addressCounter >> 8) & 255}.${addressCounter & 255}` });
const log = (line: string) => console.log(`[cluster] ${line}`);
/** HAProxy's own messages (instances going DOWN and UP), for the report whatever happens. */
let balancerEvents = (): string[] => [];

async function runCluster(): Promise<FaultResult> {
  if (!buildExists()) throw new Error("No production build: run `npm run build` first (apps/web/.next/BUILD_ID is missing).");
  ensureHaproxy();
  const verdict = { winner: "A", confidence: 0.8, rationale: "A answers the question more completely." };
  const judgeCalls = new Map<string, number>();
  const judge = await startOpenAITestServer({
    handler: (request) => {
      const key = /Judge question (\d+):/.exec(request.text)?.[1] ?? "other";
      judgeCalls.set(key, (judgeCalls.get(key) ?? 0) + 1);
      return { type: "reply", content: verdict, delayMs: 800 + Math.floor(Math.random() * 400) };
    },
  });
  const db = await scratchDatabase("arbiter_cluster");
  const client = new pg.Client({ connectionString: db.url });
  let cluster: Cluster | undefined;
  try {
    log(`starting ${INSTANCES} app instances (ports ${firstAppPort}…${firstAppPort + INSTANCES - 1}), ${WORKERS} workers, HAProxy on ${balancerPort}`);
    const started = Date.now();
    cluster = await startCluster({
      databaseUrl: db.url,
      instances: INSTANCES,
      workers: WORKERS,
      firstAppPort,
      balancerPort,
      statsPort,
      rateLimit: "on",
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      env: { ARBITER_SECRET_KEY: randomUUID() + randomUUID(), ARBITER_ALLOWED_HOSTS: new URL(judge.baseUrl).host },
      // A short job lease: the jobs of a killed worker come back after 4 s rather than a minute.
      workerEnv: { ARBITER_WORKER_CONCURRENCY: "4", ARBITER_WORKER_POLL_MS: "200", ARBITER_JOB_LEASE_MS: "4000" },
    });
    const lb = cluster.balancer.url;
    const balancer = cluster.balancer;
    balancerEvents = () =>
      balancer
        .log()
        .split("\n")
        .filter((l) => /is (DOWN|UP)/.test(l))
        .map((l) => l.replace(/^\[\w+\]\s+\(\d+\) : /, "").slice(0, 160));
    log(`cluster up in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await client.connect();

    // The human campaign, and the judge campaign (imported now, switched on once the load runs).
    const setup = await setUpCampaign({ baseUrl: lb, annotators, items, overlap, leaseMinutes, admin: ADMIN, clientAddress });
    const fixture = { baseUrl: lb, adminToken: setup.adminToken, headers: {} };
    const judgeCampaign = await createCampaign(fixture, { name: "cluster judge", config: { overlap: 1, goldRate: 0 } });
    const lines = Array.from({ length: judgeItems }, (_, i) =>
      JSON.stringify({
        id: `j-${i}`,
        prompt: `Judge question ${i}: which answer is better?`,
        responses: [
          { id: "a", content: `First answer to ${i}.` },
          { id: "b", content: `Second answer to ${i}.` },
        ],
      }),
    );
    expectStatus(
      await http(lb, `/api/v1/campaigns/${judgeCampaign.id}/items?format=native`, {
        token: setup.adminToken,
        body: lines.join("\n"),
        headers: { "content-type": "application/x-ndjson" },
      }),
      200,
      "judge import",
    );
    const statsBefore = await cluster.balancer.stats();

    // The load, through the balancer.
    const slots = items * overlap;
    const loadStarted = performance.now();
    const run = startAnnotators({
      baseUrl: lb,
      campaignId: setup.campaignId,
      tokens: setup.tokens,
      thinkMs: 300,
      rampMs: 2000,
      requestTimeoutMs: 15_000,
      idleTimeoutMs: 3 * leaseMinutes * 60_000,
      idleRetryMs: 1000,
    });
    expectStatus(
      await http(lb, `/api/v1/campaigns/${judgeCampaign.id}/judge`, {
        method: "PUT",
        token: setup.adminToken,
        body: { enabled: true, baseUrl: judge.baseUrl, model: "cluster-judge", maxRetries: 0, timeoutMs: 10_000, maxConcurrency: 8 },
      }),
      200,
      "judge settings",
    );
    expectStatus(
      await http(lb, `/api/v1/campaigns/${judgeCampaign.id}/routing`, { method: "PUT", token: setup.adminToken, body: { mode: "all_judge" } }),
      200,
      "routing settings",
    );
    const judged = async () =>
      Number(
        (
          await client.query<{ n: string }>("SELECT count(DISTINCT item_id) AS n FROM judgments WHERE campaign_id = $1 AND source = 'judge'", [
            judgeCampaign.id,
          ])
        ).rows[0]!.n,
      );
    const jobCounts = async () =>
      Object.fromEntries(
        (await client.query<{ status: string; n: string }>("SELECT status, count(*) AS n FROM jobs WHERE queue = 'judge' GROUP BY status")).rows.map((r) => [
          r.status,
          Number(r.n),
        ]),
      ) as Record<string, number>;

    // kill -9 of worker 1 while both workers have judge calls in flight; back after 3 s.
    await waitFor(async () => judge.inFlight >= 5 && (await judged()) >= 1, 180_000, "judge calls in flight on both workers", 100);
    const workerKill = { judgedAtKill: await judged(), judgeCallsInFlight: judge.inFlight, runningJobs: (await jobCounts()).running ?? 0 };
    await cluster.killWorker(0);
    log(`kill -9 worker 1 with ${workerKill.judgeCallsInFlight} judge calls in flight, ${workerKill.judgedAtKill} items judged`);
    await sleep(3000);
    await cluster.startWorker(0);

    // kill -9 of app instance 2 at a quarter of the judgments; back after 3 s.
    await waitFor(() => run.stats.acknowledged.size >= slots * 0.25, 300_000, "a quarter of the judgments");
    const appKill = { atJudgments: run.stats.acknowledged.size, pids: cluster.apps[1]!.pids().length, downMs: 0, restartMs: 0 };
    const appKilledAt = Date.now();
    await cluster.killApp(1);
    log(`kill -9 app instance 2 (${appKill.pids} processes) at ${appKill.atJudgments} judgments`);
    await sleep(3000);
    const restarting = Date.now();
    await cluster.startApp(1);
    appKill.restartMs = Date.now() - restarting;
    await cluster.allUp();
    appKill.downMs = Date.now() - appKilledAt;
    log(`app instance 2 back in rotation after ${appKill.downMs} ms`);

    await Promise.race([
      run.done,
      sleep(600_000).then(() => {
        throw new Error("the human campaign did not finish within 10 minutes");
      }),
    ]);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await waitFor(
      async () => {
        const jobs = await jobCounts();
        return (await judged()) >= judgeItems && (jobs.queued ?? 0) + (jobs.running ?? 0) === 0;
      },
      300_000,
      "every judge job to finish",
      500,
    );
    const statsAfterLoad = await cluster.balancer.stats();

    // Exactly-once, human side.
    const s = run.stats;
    const integrity = await verifyIntegrity({
      baseUrl: lb,
      adminToken: setup.adminToken,
      campaignId: setup.campaignId,
      databaseUrl: db.url,
      overlap,
      acknowledged: [...s.acknowledged.keys()],
      pending: s.pending.length,
    });
    // Exactly-once, judge side.
    const judgeExport = await rawExport(lb, setup.adminToken, judgeCampaign.id, "judge");
    const perItem = new Map<string, number>();
    for (const row of judgeExport) perItem.set(row.itemId, (perItem.get(row.itemId) ?? 0) + 1);
    const judgeDbDuplicates = Number(
      (
        await client.query<{ n: string }>(
          "SELECT count(*) AS n FROM (SELECT item_id FROM judgments WHERE campaign_id = $1 AND source = 'judge' GROUP BY item_id HAVING count(*) > 1) d",
          [judgeCampaign.id],
        )
      ).rows[0]!.n,
    );
    const judgeCounters = (
      await client.query<{ judge_count: number; n: string }>("SELECT judge_count, count(*) AS n FROM items WHERE campaign_id = $1 GROUP BY judge_count", [
        judgeCampaign.id,
      ])
    ).rows;
    const jobs = await jobCounts();
    const attempts = (
      await client.query<{ attempts: number; n: string }>("SELECT attempts, count(*) AS n FROM jobs WHERE queue = 'judge' GROUP BY attempts ORDER BY attempts")
    ).rows;
    const rerun = attempts.filter((r) => r.attempts > 1).reduce((n, r) => n + Number(r.n), 0);

    // Rate limits across instances: 10 attempts through the balancer (round-robin spreads them),
    // the 11th sent straight to each instance in turn, and once more all through the balancer.
    const signIn = (base: string, address: Record<string, string>, password: string) =>
      http(base, "/api/auth/sign-in/email", { body: { email: ADMIN.email, password }, headers: { origin: base, ...address } });
    const tokenAttempt = (base: string, address: Record<string, string>, password: string) =>
      http<{ error?: { code: string } }>(base, "/api/v1/tokens", { body: { email: ADMIN.email, password }, headers: address });
    const rateLimit: Array<{ endpoint: string; eleventhOn: string; first10: number[]; spread: Record<string, number>; eleventh: number }> = [];
    for (const endpoint of ["sign-in", "tokens"] as const) {
      const attempt = endpoint === "sign-in" ? signIn : tokenAttempt;
      for (const target of [0, 1, 2, "balancer"] as const) {
        const address = clientAddress();
        const before = await cluster.balancer.stats();
        const first10: number[] = [];
        for (let i = 0; i < 10; i++) first10.push((await attempt(lb, address, "wrong-password")).status);
        const after = await cluster.balancer.stats();
        const spread = Object.fromEntries(Object.keys(after).map((name) => [name, after[name]!.sessions - (before[name]?.sessions ?? 0)]));
        const base = target === "balancer" ? lb : cluster.appUrl(target);
        // The right password: only the limit can refuse it.
        const eleventh = (await attempt(base, address, ADMIN.password)).status;
        rateLimit.push({ endpoint, eleventhOn: target === "balancer" ? "balancer" : `app${target + 1}`, first10, spread, eleventh });
      }
    }

    // A session and a token made through the balancer, used on each instance directly.
    const session = await signIn(lb, clientAddress(), ADMIN.password);
    const cookie = session.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");
    const sessionOn = await Promise.all([0, 1, 2].map(async (i) => (await http(cluster!.appUrl(i), "/api/v1/tokens", { cookie })).status));
    const token = await tokenFor(lb, ADMIN.email, ADMIN.password, clientAddress());
    const tokenOn = await Promise.all([0, 1, 2].map(async (i) => (await http(cluster!.appUrl(i), "/api/v1/campaigns", { token })).status));
    const own = expectStatus(await http<Array<{ id: string; prefix: string }>>(lb, "/api/v1/tokens", { token }), 200, "own tokens");
    const revoke = (await http(lb, `/api/v1/tokens/${own.find((t) => token.startsWith(t.prefix))!.id}`, { method: "DELETE", token })).status;
    const revokedOn = await Promise.all([0, 1, 2].map(async (i) => (await http(cluster!.appUrl(i), "/api/v1/campaigns", { token })).status));

    const appErrors = cluster.unexpectedErrors();
    const http500 = [...s.statuses].filter(([k]) => / 500$/.test(k)).reduce((n, [, v]) => n + v, 0);
    const served = Object.fromEntries(Object.entries(statsAfterLoad).map(([name, st]) => [name, st.sessions - (statsBefore[name]?.sessions ?? 0)]));
    const checks: Record<string, boolean> = {
      "every slot of the human campaign filled": integrity.exported === slots,
      "acknowledged = stored: no acknowledged judgment lost": integrity.missing === 0,
      "nothing stored that was not acknowledged": integrity.unacknowledged <= s.pending.length,
      "no judgment twice, no (item, annotator) pair twice": integrity.duplicated === 0 && integrity.duplicateItemAnnotatorPairs === 0,
      "no item over its overlap": integrity.itemsOverOverlap === 0,
      "item counters = rows; export = paged API = database":
        integrity.itemCounterMismatches === 0 && integrity.exportMatchesPagedApi && integrity.exportMatchesDatabase,
      "no submission left unanswered": s.pending.length === 0,
      "no 500 from an app instance, no unexpected error in their logs": http500 === 0 && appErrors.length === 0,
      "every instance served the load": Object.keys(served).length === INSTANCES && Object.values(served).every((n) => n > 0),
      "every judge item judged exactly once (export and database)":
        judgeExport.length === judgeItems && perItem.size === judgeItems && [...perItem.values()].every((n) => n === 1) && judgeDbDuplicates === 0,
      "judge counters all 1": judgeCounters.length === 1 && judgeCounters[0]!.judge_count === 1,
      "every judge job done, none failed or left":
        (jobs.failed ?? 0) === 0 && (jobs.queued ?? 0) === 0 && (jobs.running ?? 0) === 0 && (jobs.done ?? 0) >= judgeItems,
      "judge jobs of the killed worker ran again (attempts > 1)": rerun > 0,
      "10 attempts allowed, spread over several instances": rateLimit.every(
        (r) => r.first10.every((st) => st === 401) && Object.values(r.spread).filter((n) => n > 0).length >= 2,
      ),
      "the 11th attempt refused (429) whichever instance gets it": rateLimit.every((r) => r.eleventh === 429),
      "a session made through the balancer is valid on every instance": session.status === 200 && sessionOn.every((st) => st === 200),
      "a token made through the balancer is valid on every instance, and revoked, on none":
        tokenOn.every((st) => st === 200) && revoke < 300 && revokedOn.every((st) => st === 401),
    };
    const requests = s.nextLatencyMs.length + s.submitLatencyMs.length;
    return {
      name: "cluster",
      ok: Object.values(checks).every(Boolean),
      checks,
      figures: {
        topology: `${INSTANCES} app instances + ${WORKERS} workers + HAProxy (${cluster.balancer.url}), rate limits on`,
        human: {
          annotators,
          items,
          overlap,
          slots,
          seconds: Number(loadSeconds.toFixed(1)),
          judgments: s.acknowledged.size,
          judgmentsPerSecond: Number((s.acknowledged.size / loadSeconds).toFixed(1)),
          requestsPerSecond: Number((requests / loadSeconds).toFixed(1)),
          nextTaskMs: roundFigures(summarize(s.nextLatencyMs)),
          submitMs: roundFigures(summarize(s.submitLatencyMs)),
          statuses: Object.fromEntries(s.statuses),
          acknowledgedOnReplay: [...s.acknowledged.values()].filter((a) => a.replayed).length,
          refused: s.refused.length,
          samples: s.samples,
          requestsPerInstance: served,
        },
        integrity,
        appKill,
        workerKill,
        judge: {
          items: judgeItems,
          calls: judge.requests.length,
          cleanRunCalls: judgeItems * 2,
          itemsCalledAgain: [...judgeCalls.values()].filter((n) => n > 2).length,
          jobs,
          jobAttempts: Object.fromEntries(attempts.map((r) => [r.attempts, Number(r.n)])),
        },
        rateLimit,
        sessionOn,
        tokenOn,
        revokedOn,
        appErrors: appErrors.slice(0, 3),
        balancerEvents: balancerEvents(),
      },
    };
  } finally {
    await client.end().catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    await judge.close();
    await db.drop();
  }
}

function summary(result: FaultResult) {
  const f = result.figures as Record<string, never>;
  const human = f.human as Record<string, unknown> | undefined;
  console.log("\n=== cluster summary ===");
  if (human)
    console.log(
      `human load: ${String(human.judgments)} judgments in ${String(human.seconds)} s (${String(human.judgmentsPerSecond)}/s), tasks/next ${JSON.stringify(human.nextTaskMs)}, per instance ${JSON.stringify(human.requestsPerInstance)}`,
    );
  if (f.appKill) console.log(`app kill -9: ${JSON.stringify(f.appKill)}`);
  if (f.workerKill) console.log(`worker kill -9: ${JSON.stringify(f.workerKill)}; judge: ${JSON.stringify(f.judge)}`);
  const passed = Object.values(result.checks).filter(Boolean).length;
  console.log(`${result.ok ? "ok  " : "FAIL"} cluster: ${passed}/${Object.keys(result.checks).length} checks`);
}

runCluster()
  .catch((error: unknown): FaultResult => ({
    name: "cluster",
    ok: false,
    checks: { "ran to the end": false },
    figures: { error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
  }))
  .then((result) => {
    report(result);
    summary(result);
    process.exit(result.ok ? 0 : 1);
  });
