import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { scratchDatabase } from "../lib/databases.ts";
import { summarize } from "../lib/figures.ts";
import { http } from "../lib/http-client.ts";
import { launchApp, type RunningApp } from "../lib/launch-app.ts";
import { sleep, waitFor } from "../lib/wait.ts";
import { startAnnotators } from "./annotators.ts";
import { finish, type FaultResult } from "./report.ts";
import { setUpCampaign, verifyIntegrity } from "./scenario.ts";

/**
 * Fault: the PostgreSQL server goes away for a few seconds while annotators submit
 * (`pg_ctlcluster 15 main stop -m fast`, a pause, `start`). The app must answer 503 with
 * retry-after — never a 500 — on /api/health and on API routes for the outage, recover by itself
 * (same process, no restart) once the database is back, and lose nothing: the campaign then
 * runs to completion with every acknowledged judgment exported exactly once.
 *
 * The server is shared with other tests on this machine: the outage is kept short and the
 * cluster is started again whatever happens (finally, and on SIGINT / SIGTERM).
 *
 *   npx tsx scripts/faults/pg-restart.ts [--outage-ms 3000] [--cluster "15 main"]
 */
const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) if (argv[i]!.startsWith("--")) args.set(argv[i]!.slice(2), argv[i + 1] ?? "");
const outageMs = Number(args.get("outage-ms") ?? 3000);
const [version, cluster] = (args.get("cluster") ?? process.env.ARBITER_PG_CLUSTER ?? "15 main").split(/\s+/) as [string, string];
const annotators = 20;
const items = 150;
const overlap = 3;

function pgctl(action: "stop" | "start" | "status", extra: string[] = []): string {
  return execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, cluster, action, ...extra], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The same without blocking the event loop (the probes and annotators keep running). */
async function pgctlAsync(action: "stop" | "start", extra: string[] = []): Promise<void> {
  await promisify(execFile)("pg_ctlcluster", ["--skip-systemctl-redirect", version, cluster, action, ...extra]);
}

function clusterOnline(): boolean {
  try {
    pgctl("status");
    return true;
  } catch {
    return false;
  }
}

/** Starts the cluster if it is down; used on every way out. */
function ensureStarted(): void {
  if (clusterOnline()) return;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      pgctl("start");
      return;
    } catch (error) {
      if (clusterOnline()) return;
      if (attempt === 4) throw error;
      execFileSync("sleep", ["1"]);
    }
  }
}

export async function runPgRestart(): Promise<FaultResult> {
  const onPath = (process.env.PATH ?? "").split(":").some((dir) => dir && existsSync(join(dir, "pg_ctlcluster")));
  if (!onPath) {
    return { name: "pg-restart", ok: true, checks: {}, figures: {}, skipped: "pg_ctlcluster is not available: no local PostgreSQL cluster to restart" };
  }
  if (!clusterOnline()) throw new Error(`PostgreSQL cluster ${version}/${cluster} is not running; start it first`);
  const onSignal = () => {
    ensureStarted();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const db = await scratchDatabase("arbiter_fault_pg");
  let app: RunningApp | undefined;
  try {
    app = await launchApp({ database: db, env: { ARBITER_DB_POOL_MAX: "10" } });
    const appPid = app.child.pid;
    const setup = await setUpCampaign({ baseUrl: app.baseUrl, annotators, items, overlap, leaseMinutes: 0.5 });
    const run = startAnnotators({
      baseUrl: app.baseUrl,
      campaignId: setup.campaignId,
      tokens: setup.tokens,
      thinkMs: 150,
      requestTimeoutMs: 15_000,
      idleTimeoutMs: 45_000,
    });
    await waitFor(() => run.stats.acknowledged.size >= items * overlap * 0.3, 300_000, "30 % of the judgments");

    // Probes: health and two API routes (one read, one change) every 100 ms through the outage.
    const probes: Array<{ at: number; route: string; status: number; retryAfter: string | null }> = [];
    let probing = true;
    const base = app.baseUrl;
    const probe = async (route: string, init: Parameters<typeof http>[2] = {}) => {
      while (probing) {
        const at = Date.now();
        const r = await http(base, route, { timeoutMs: 10_000, ...init }).catch(() => null);
        probes.push({ at, route, status: r?.status ?? 0, retryAfter: r?.headers.get("retry-after") ?? null });
        await sleep(100);
      }
    };
    const probing$ = Promise.all([
      probe("/api/health"),
      probe(`/api/v1/campaigns/${setup.campaignId}`, { token: setup.adminToken }),
      probe(`/api/v1/campaigns/${setup.campaignId}/status`, { token: setup.adminToken, body: { status: "active" } }),
    ]);
    await sleep(500);

    const stoppedAt = Date.now();
    let downAt = 0;
    let startCalledAt = 0;
    let startedAt = 0;
    try {
      await pgctlAsync("stop", ["-m", "fast"]);
      downAt = Date.now();
      console.log(`[pg-restart] PostgreSQL stopped; holding ${outageMs} ms`);
      await sleep(outageMs);
      startCalledAt = Date.now();
      await pgctlAsync("start").catch(() => undefined);
    } finally {
      ensureStarted();
      startedAt = Date.now();
      startCalledAt ||= startedAt;
    }
    console.log(`[pg-restart] PostgreSQL started again after ${startedAt - stoppedAt} ms`);
    await waitFor(
      async () => (await http(base, "/api/health", { timeoutMs: 5000 }).catch(() => null))?.status === 200,
      60_000,
      "the app to report healthy again",
    );
    const recoveredAt = Date.now();
    await sleep(1000);
    probing = false;
    await probing$;

    await Promise.race([
      run.done,
      sleep(600_000).then(() => {
        throw new Error("the campaign did not finish within 10 minutes after the restart");
      }),
    ]);
    const s = run.stats;
    const integrity = await verifyIntegrity({
      baseUrl: base,
      adminToken: setup.adminToken,
      campaignId: setup.campaignId,
      databaseUrl: db.url,
      overlap,
      acknowledged: [...s.acknowledged.keys()],
      pending: s.pending.length,
    });
    const during = probes.filter((p) => p.at >= downAt && p.at + 100 < startCalledAt);
    const outageStatuses = countBy(during.map((p) => `${p.route.replace(setup.campaignId, ":id")} ${p.status}`));
    const allStatuses = countBy(probes.map((p) => String(p.status)));
    const checks = {
      "the app answered during the outage (no hang, no dropped connection)": during.length > 0 && during.every((p) => p.status !== 0),
      "503 for the outage on health and API routes": during.length > 0 && during.every((p) => p.status === 503),
      "503s carry retry-after": during.every((p) => p.status !== 503 || p.retryAfter !== null),
      "no 500 from probes or annotators, before, during or after": probes.every((p) => p.status < 500 || p.status === 503) && s.serverErrors === 0,
      "recovered by itself (same process, healthy again)": app.child.pid === appPid && app.child.exitCode === null,
      "every slot filled after the restart": integrity.exported === items * overlap,
      "no acknowledged judgment lost, none twice, none over overlap": integrity.ok,
      "no submission left unanswered": s.pending.length === 0,
    };
    return {
      name: "pg-restart",
      ok: Object.values(checks).every(Boolean),
      checks,
      figures: {
        serverErrorLog: app.unexpectedErrors().slice(0, 5),
        annotatorSamples: s.samples,
        outageMs: startedAt - stoppedAt,
        recoveryAfterStartMs: recoveredAt - startedAt,
        probesDuringOutage: during.length,
        outageStatuses,
        probeStatuses: allStatuses,
        annotatorStatuses: Object.fromEntries(s.statuses),
        submitMs: summarize(s.submitLatencyMs),
        judgments: s.acknowledged.size,
        integrity,
      },
    };
  } finally {
    ensureStarted();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await app?.stop().catch(() => undefined);
    await waitFor(clusterOnline, 30_000, "PostgreSQL to be online").catch(() => undefined);
    await db.drop().catch(async () => {
      await sleep(2000);
      await db.drop();
    });
  }
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) finish(runPgRestart);
