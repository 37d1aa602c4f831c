import pg from "pg";
import { startOpenAITestServer, type RecordedRequest, type TestServerBehaviour } from "@arbiter/judge/testing";
import { scratchDatabase } from "../lib/databases.ts";
import { createCampaign, rawExport, tokenFor } from "../lib/fixtures.ts";
import { expectStatus, http } from "../lib/http-client.ts";
import { launchApp, type RunningApp } from "../lib/launch-app.ts";
import { freePort } from "../lib/processes.ts";
import { sleep, waitFor } from "../lib/wait.ts";
import { finish, type FaultResult } from "./report.ts";

/**
 * Fault: the LLM judge endpoint is slow or failing. A real OpenAI-compatible HTTP server (the
 * judge package's test server) answers each item's first calls with a 500, a 429 with
 * retry-after, a reply slower than the judge timeout, or a dropped connection, and then
 * properly. Every judge job must retry and complete, and each item must get exactly one judge
 * judgment. Then the app is killed (`kill -9`) while slow judge calls are in flight and
 * restarted: the interrupted jobs' leases expire, they run again, and still each item is
 * judged exactly once (the judgment's dedupe key and the lease-fenced completion).
 *
 *   npx tsx scripts/faults/judge-faults.ts
 */
const ITEMS = 40;
const CRASH_ITEMS = 12;
type Fault = "none" | "500" | "429" | "slow" | "drop";
const FAULTS: Fault[] = ["none", "500", "429", "slow", "drop"];

export async function runJudgeFaults(): Promise<FaultResult> {
  const perItem = new Map<string, number>();
  let crashPhase = false;
  const verdict = { winner: "A", confidence: 0.8, rationale: "A answers the question more completely." };
  const server = await startOpenAITestServer({
    handler: (request: RecordedRequest): TestServerBehaviour => {
      const match = /(Question|Crash question) (\d+):/.exec(request.text);
      if (!match) return { type: "reply", content: verdict };
      const key = `${match[1]} ${match[2]}`;
      const seen = (perItem.get(key) ?? 0) + 1;
      perItem.set(key, seen);
      if (match[1] === "Crash question") {
        // Slow first calls (the app is killed while they are in flight), quick afterwards.
        return crashPhase && seen <= 2 ? { type: "reply", content: verdict, delayMs: 8000 } : { type: "reply", content: verdict };
      }
      const fault = FAULTS[Number(match[2]) % FAULTS.length]!;
      if (seen > 2 || fault === "none") return { type: "reply", content: verdict };
      if (fault === "500") return { type: "error", status: 500, message: "upstream exploded" };
      if (fault === "429") return { type: "error", status: 429, message: "slow down", headers: { "retry-after": "1" } };
      if (fault === "slow") return { type: "reply", content: verdict, delayMs: 2500 };
      return { type: "drop" };
    },
  });
  const db = await scratchDatabase("arbiter_fault_judge");
  const port = await freePort();
  let app: RunningApp | undefined;
  // The judge's test server listens on 127.0.0.1: the app reaches it only when it is listed.
  const env = {
    ARBITER_WORKER: "on",
    ARBITER_WORKER_POLL_MS: "200",
    ARBITER_JOB_LEASE_MS: "3000",
    ARBITER_WORKER_CONCURRENCY: "4",
    ARBITER_ALLOWED_HOSTS: new URL(server.baseUrl).host,
  };
  const start = () => launchApp({ database: db, port, env });
  const client = new pg.Client({ connectionString: db.url });
  try {
    app = await start();
    await client.connect();
    const adminToken = await tokenFor(app.baseUrl, "admin@faults.local", "faults-admin-password");
    const fixture = { baseUrl: app.baseUrl, adminToken, headers: {} };
    const campaign = await createCampaign(fixture, { name: "judge faults", config: { overlap: 1, goldRate: 0 } });
    const importLines = async (prefix: string, label: string, count: number) => {
      const lines = Array.from({ length: count }, (_, i) =>
        JSON.stringify({
          id: `${prefix}-${i}`,
          prompt: `${label} ${i}: which answer is better?`,
          responses: [
            { id: "a", content: `First answer to ${i}.` },
            { id: "b", content: `Second answer to ${i}.` },
          ],
        }),
      );
      expectStatus(
        await http(app!.baseUrl, `/api/v1/campaigns/${campaign.id}/items?format=native`, {
          token: adminToken,
          body: lines.join("\n"),
          headers: { "content-type": "application/x-ndjson" },
        }),
        200,
        "import",
      );
    };
    await importLines("j", "Question", ITEMS);
    expectStatus(
      await http(app.baseUrl, `/api/v1/campaigns/${campaign.id}/judge`, {
        method: "PUT",
        token: adminToken,
        body: { enabled: true, baseUrl: server.baseUrl, model: "fault-judge", maxRetries: 0, timeoutMs: 1000, maxConcurrency: 4 },
      }),
      200,
      "judge settings",
    );
    expectStatus(
      await http(app.baseUrl, `/api/v1/campaigns/${campaign.id}/routing`, { method: "PUT", token: adminToken, body: { mode: "all_judge" } }),
      200,
      "routing settings",
    );

    const jobCounts = async () => {
      const rows = (await client.query<{ status: string; n: string }>("SELECT status, count(*) AS n FROM jobs WHERE queue = 'judge' GROUP BY status")).rows;
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
    };
    const judged = async () =>
      Number(
        (await client.query<{ n: string }>("SELECT count(DISTINCT item_id) AS n FROM judgments WHERE campaign_id = $1 AND source = 'judge'", [campaign.id]))
          .rows[0]!.n,
      );
    const startedPhase1 = Date.now();
    await waitFor(
      async () => (await judged()) >= ITEMS && ((await jobCounts()).queued ?? 0) + ((await jobCounts()).running ?? 0) === 0,
      180_000,
      "every item to be judged",
      500,
    );
    const phase1Ms = Date.now() - startedPhase1;
    const phase1Requests = server.requests.length;

    // Phase 2: kill -9 while slow judge calls are in flight.
    crashPhase = true;
    await importLines("k", "Crash question", CRASH_ITEMS);
    expectStatus(await http(app.baseUrl, `/api/v1/campaigns/${campaign.id}/routing/run`, { method: "POST", token: adminToken }), 202, "routing run");
    await waitFor(() => server.inFlight >= 2, 60_000, "slow judge calls in flight");
    const inFlightAtKill = server.inFlight;
    const runningAtKill = (await jobCounts()).running ?? 0;
    await app.kill9();
    await sleep(500);
    app = await start();
    crashPhase = false;
    await waitFor(
      async () => (await judged()) >= ITEMS + CRASH_ITEMS && ((await jobCounts()).queued ?? 0) + ((await jobCounts()).running ?? 0) === 0,
      180_000,
      "the interrupted jobs to run again",
      500,
    );

    const exported = await rawExport(app.baseUrl, adminToken, campaign.id, "judge");
    const perExportItem = new Map<string, number>();
    for (const row of exported) perExportItem.set(row.itemId, (perExportItem.get(row.itemId) ?? 0) + 1);
    const dbDuplicates = Number(
      (
        await client.query<{ n: string }>(
          "SELECT count(*) AS n FROM (SELECT item_id FROM judgments WHERE campaign_id = $1 AND source = 'judge' GROUP BY item_id HAVING count(*) > 1) d",
          [campaign.id],
        )
      ).rows[0]!.n,
    );
    const counters = (
      await client.query<{ judge_count: number; n: string }>("SELECT judge_count, count(*) AS n FROM items WHERE campaign_id = $1 GROUP BY judge_count", [
        campaign.id,
      ])
    ).rows;
    const attempts = (
      await client.query<{ attempts: number; n: string }>("SELECT attempts, count(*) AS n FROM jobs WHERE queue = 'judge' GROUP BY attempts ORDER BY attempts")
    ).rows;
    const jobs = await jobCounts();
    const crashItemsRetried = [...perItem].filter(([k, n]) => k.startsWith("Crash") && n > 2).length;
    const faultyItems = [...perItem].filter(([k, n]) => k.startsWith("Question") && n > 2).length;
    const checks = {
      "every item judged exactly once in the export":
        exported.length === ITEMS + CRASH_ITEMS && [...perExportItem.values()].every((n) => n === 1) && perExportItem.size === ITEMS + CRASH_ITEMS,
      "no item with two judge judgments in the database": dbDuplicates === 0,
      "item judge counters are all 1": counters.length === 1 && counters[0]!.judge_count === 1,
      "every judge job done, none failed":
        (jobs.failed ?? 0) === 0 && (jobs.queued ?? 0) === 0 && (jobs.running ?? 0) === 0 && (jobs.done ?? 0) >= ITEMS + CRASH_ITEMS,
      "faulty items were retried (more calls than a clean run)": faultyItems === (ITEMS / FAULTS.length) * (FAULTS.length - 1),
      "jobs interrupted by kill -9 ran again": runningAtKill > 0 && crashItemsRetried > 0,
    };
    return {
      name: "judge-faults",
      ok: Object.values(checks).every(Boolean),
      checks,
      figures: {
        items: ITEMS,
        faultsPerItem: "none / 500 / 429 retry-after / slower than the timeout / dropped connection on the first 2 calls",
        phase1Ms,
        judgeCallsPhase1: phase1Requests,
        cleanRunCalls: ITEMS * 2,
        crash: {
          items: CRASH_ITEMS,
          judgeCallsInFlightAtKill: inFlightAtKill,
          jobsRunningAtKill: runningAtKill,
          itemsCalledAgainAfterRestart: crashItemsRetried,
        },
        jobAttempts: Object.fromEntries(attempts.map((r) => [r.attempts, Number(r.n)])),
        jobs,
        judgeJudgments: exported.length,
      },
    };
  } finally {
    await client.end().catch(() => undefined);
    await app?.stop().catch(() => undefined);
    await server.close();
    await db.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) finish(runJudgeFaults);
