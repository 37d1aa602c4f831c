import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scratchDatabase } from "../lib/databases.ts";
import { summarize } from "../lib/figures.ts";
import { http } from "../lib/http-client.ts";
import { launchApp, type RunningApp } from "../lib/launch-app.ts";
import { freePort } from "../lib/processes.ts";
import { sleep, waitFor } from "../lib/wait.ts";
import { startAnnotators } from "./annotators.ts";
import { finish, type FaultResult } from "./report.ts";
import { setUpCampaign, verifyIntegrity } from "./scenario.ts";

/**
 * Fault: `kill -9` of the whole app (launcher and Next.js server) twice while annotators
 * submit, each time restarted on the same database and port. The simulated annotators keep
 * going like browsers would (their outbox retries unanswered submissions with the same
 * Idempotency-Key), three of them walk away mid-task and never come back, and leases are short
 * (6 s). The campaign must then run to completion: every slot filled exactly once — no
 * acknowledged judgment lost, none doubled, no item over its overlap — which needs the leases of
 * the killed requests and of the vanished annotators to come back on their own.
 *
 *   npx tsx scripts/faults/kill9.ts [--annotators 30] [--items 200] [--overlap 3]
 */
const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) if (argv[i]!.startsWith("--")) args.set(argv[i]!.slice(2), argv[i + 1] ?? "");
const annotators = Number(args.get("annotators") ?? 30);
const items = Number(args.get("items") ?? 200);
const overlap = Number(args.get("overlap") ?? 3);
const leaseMinutes = 0.1;

export async function runKill9(): Promise<FaultResult> {
  const db = await scratchDatabase("arbiter_fault_kill9");
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "arbiter-kill9-"));
  let app: RunningApp | undefined;
  const start = () => launchApp({ database: db, port, dataDir, env: { ARBITER_DB_POOL_MAX: "10" } });
  try {
    app = await start();
    const setup = await setUpCampaign({ baseUrl: app.baseUrl, annotators, items, overlap, leaseMinutes });
    const slots = items * overlap;
    const run = startAnnotators({
      baseUrl: app.baseUrl,
      campaignId: setup.campaignId,
      tokens: setup.tokens,
      thinkMs: 150,
      requestTimeoutMs: 10_000,
      idleTimeoutMs: 3 * leaseMinutes * 60_000,
      idleRetryMs: 1000,
    });
    const errorLog: string[] = [];
    const kills: Array<{ atJudgments: number; killedPids: number; downMs: number; restartMs: number }> = [];
    for (const fraction of [0.25, 0.6]) {
      await waitFor(() => run.stats.acknowledged.size >= slots * fraction, 300_000, `${fraction * 100} % of the judgments`);
      if (fraction === 0.25) for (const i of [0, 1, 2]) run.abandon(i);
      const atJudgments = run.stats.acknowledged.size;
      const pids = app.pids().length;
      const killedAt = Date.now();
      errorLog.push(...app.unexpectedErrors());
      await app.kill9();
      const refused = await http(`http://127.0.0.1:${port}`, "/api/health", { timeoutMs: 2000 })
        .then((r) => r.status)
        .catch(() => 0);
      if (refused !== 0) throw new Error(`the app still answered (${refused}) after kill -9`);
      await sleep(1000);
      const restarting = Date.now();
      app = await start();
      kills.push({ atJudgments, killedPids: pids, downMs: Date.now() - killedAt, restartMs: Date.now() - restarting });
      console.log(`[kill9] killed ${pids} processes at ${atJudgments} judgments; back after ${Date.now() - killedAt} ms`);
    }
    await Promise.race([
      run.done,
      sleep(600_000).then(() => {
        throw new Error("the campaign did not finish within 10 minutes after the kills");
      }),
    ]);
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
    errorLog.push(...app.unexpectedErrors());
    const replayed = [...s.acknowledged.values()].filter((a) => a.replayed).length;
    const unanswered = s.statuses.get("submit 0") ?? 0;
    const checks = {
      "every slot filled (leases of killed requests and vanished annotators came back)": integrity.exported === slots,
      "no acknowledged judgment lost": integrity.missing === 0,
      "no judgment twice": integrity.duplicated === 0 && integrity.duplicateItemAnnotatorPairs === 0,
      "no item over its overlap": integrity.itemsOverOverlap === 0,
      "export = paged API = database": integrity.exportMatchesPagedApi && integrity.exportMatchesDatabase,
      "every judgment in the export was acknowledged (or sent by a vanished annotator, answer unseen)":
        integrity.unacknowledged <= s.pending.filter((p) => p.abandoned).length,
      "no 5xx other than 503": s.serverErrors === 0,
      "no submission left unanswered by an annotator still at work": s.pending.filter((p) => !p.abandoned).length === 0,
    };
    return {
      name: "kill9",
      ok: Object.values(checks).every(Boolean),
      checks,
      figures: {
        annotators,
        abandoned: 3,
        slots,
        kills,
        judgments: s.acknowledged.size,
        submissionsWithoutAnswer: unanswered,
        leftInVanishedOutboxes: s.pending.filter((p) => p.abandoned).length,
        acknowledgedOnReplay: replayed,
        refused: s.refused.length,
        refusedSamples: s.refused.slice(0, 3),
        serverErrorLog: errorLog.slice(0, 5),
        samples: s.samples,
        submitMs: summarize(s.submitLatencyMs),
        statuses: Object.fromEntries(s.statuses),
        integrity,
      },
    };
  } finally {
    await app?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) finish(runKill9);
