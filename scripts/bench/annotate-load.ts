import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { appDatabase, scratchDatabase, type AppDatabase } from "../lib/databases.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@arbiter/db/embedded";
import { machineLine, roundFigures, summarize } from "../lib/figures.ts";
import { tokenFor } from "../lib/fixtures.ts";
import { http } from "../lib/http-client.ts";
import { launchApp } from "../lib/launch-app.ts";
import { benchArgs } from "./args.ts";

/**
 * N simulated annotators run next-task → submit over HTTP against the production build on a
 * real Postgres; then the same database writes (lease, judgment, item counter) are done
 * directly with `pg` at the same concurrency, as the baseline. Usage:
 *   npx tsx scripts/bench/annotate-load.ts [--annotators 100] [--items 1500] [--overlap 3] [--think 0] [--seconds 30] [--ramp <s, default think>]
 * Annotators start spread over the ramp (people do not all click at the same millisecond);
 * `--ramp 0` starts them together, a cold burst of N simultaneous requests. `--worker separate`
 * runs background jobs (reward-model training) in their own `npm run worker` process instead of
 * inside the web server (ARBITER_WORKER=off), as a deployment with more than one process would.
 * `--processes N` sets ARBITER_WEB_PROCESSES (web server processes sharing the port; default 1 here,
 * so runs compare like with like whatever the machine's default). `--lean off` sets ARBITER_LEAN_ROUTES=off:
 * Next.js answers tasks/next and submit as every other route (the before of issue 20).
 * `--profile DIR` writes where the time goes: a V8 CPU profile per server process (ARBITER_CPU_PROFILE_DIR,
 * --cpu-prof; open in Chrome DevTools, "(garbage collector)" is GC), PostgreSQL's wait events sampled
 * every 50 ms, and pg_stat_statements' top statements when the server preloads it.
 * `--db embedded` runs the app on its embedded PGlite (the default install) instead of the server.
 */
const args = benchArgs();
const annotators = Number(args.annotators ?? 100);
const itemCount = Number(args.items ?? 1500);
const overlap = Number(args.overlap ?? 3);
const thinkMs = Number(args.think ?? 0);
const seconds = Number(args.seconds ?? 30);
const port = Number(args.port ?? 3311);
const rampMs = Number(args.ramp ?? thinkMs / 1000) * 1000;
const webProcesses = Number(args.processes ?? 1);
const leanRoutes = args.lean === "off" ? "off" : "on";
const profileDir = args.profile ? resolve(String(args.profile)) : null;
const embedded = args.db === "embedded";

async function main() {
  // `--db embedded`: the app on its own embedded PGlite (the default install); integrity is checked and the
  // direct baseline run on that same database after the app has stopped.
  const db: AppDatabase = embedded ? await appDatabase({ embedded: true, prefix: "unused" }) : await scratchDatabase("arbiter_bench_annotate");
  const separateWorker = args.worker === "separate";
  const launch = (profile: boolean) =>
    launchApp({
      database: db,
      port,
      adminEmail: "bench@arbiter.local",
      adminPassword: "bench-password",
      env: {
        ...(profile && profileDir ? { ARBITER_CPU_PROFILE_DIR: profileDir } : {}),
        ARBITER_DB_POOL_MAX: "10",
        ARBITER_WEB_PROCESSES: String(webProcesses),
        ARBITER_LEAN_ROUTES: leanRoutes,
        ...(separateWorker ? { ARBITER_WORKER: "off" } : {}),
      },
    });
  let app = await launch(false);
  let embeddedAfterRun: EmbeddedPostgres | null = null;
  const worker = separateWorker
    ? spawn("npx", ["tsx", "packages/core/bin/worker.ts"], { stdio: "ignore", env: { ...process.env, DATABASE_URL: db.url } })
    : null;
  try {
    const base = app.baseUrl;
    const admin = await tokenFor(base, "bench@arbiter.local", "bench-password");
    const campaign = (
      await http<{ id: string }>(base, "/api/v1/campaigns", {
        token: admin,
        body: { name: "bench", taskType: "pairwise", status: "active", config: { overlap, goldRate: 0, ...(args.hints === "off" ? { hintMode: "off" } : {}) } },
      })
    ).data;
    const lines = Array.from({ length: itemCount }, (_, i) =>
      JSON.stringify({
        id: `b-${i}`,
        prompt: `Question ${i}: which answer is better?`,
        responses: [
          { content: `Answer one to ${i}.`, model: "m1" },
          { content: `Answer two to ${i}, a bit longer.`, model: "m2" },
        ],
      }),
    ).join("\n");
    const imported = await http(base, `/api/v1/campaigns/${campaign.id}/items?format=native`, {
      token: admin,
      body: lines,
      headers: { "content-type": "application/x-ndjson" },
    });
    if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.data)}`);

    const tokens: string[] = [];
    for (let i = 0; i < annotators; i++) {
      const email = `ann${i}@bench.local`;
      await http(base, "/api/v1/users", { token: admin, body: { email, role: "annotator", password: "annotator-pass", campaignId: campaign.id } });
      tokens.push((await http<{ token: string }>(base, "/api/v1/tokens", { body: { email, password: "annotator-pass" } })).data.token);
    }
    if (profileDir) {
      // The profile covers what the annotators cause (plus start and warm-up), not the setup's 500 password hashes.
      await app.stop();
      app = await launch(true);
    }
    await warmUp(base, admin);

    const nextLatency: number[] = [];
    const submitLatency: number[] = [];
    let judgments = 0;
    let errors = 0;
    const errorSamples: string[] = [];
    const dbProfile = profileDir && db.url ? await startDatabaseProfile(db.url) : null;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      tokens.map(async (token, index) => {
        if (rampMs > 0) await new Promise((r) => setTimeout(r, (rampMs * index) / tokens.length));
        while (performance.now() < deadline) {
          const t0 = performance.now();
          const next = await http<{ assignmentId: string; candidates: Array<{ id: string }> }>(base, `/api/v1/campaigns/${campaign.id}/tasks/next`, {
            token,
          }).catch((e) => ({ status: 0, data: String(e) }) as never);
          nextLatency.push(performance.now() - t0);
          if (next.status === 204) return;
          if (next.status !== 200) {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(`next ${next.status} ${JSON.stringify(next.data)}`);
            continue;
          }
          if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
          const t1 = performance.now();
          const sent = await http(base, `/api/v1/assignments/${next.data.assignmentId}/judgment`, {
            token,
            body: { winner: next.data.candidates[0]!.id },
            headers: { "idempotency-key": randomUUID() },
          }).catch((e) => ({ status: 0, data: String(e) }));
          submitLatency.push(performance.now() - t1);
          if (sent.status === 201) judgments++;
          else {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(`submit ${sent.status} ${JSON.stringify(sent.data)}`);
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    if (dbProfile && profileDir) {
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(`${profileDir}/database.json`, JSON.stringify(await dbProfile.stop(), null, 2));
    }

    // Exactly-once and overlap checks straight from the database (the embedded one opened here once the app has let go of it).
    let checkUrl = db.url;
    if (!checkUrl) {
      await app.stop({ keepData: true });
      embeddedAfterRun = await startEmbeddedPostgres({ dataDir: join(app.dataDir, "pgdata") });
      checkUrl = embeddedAfterRun.url;
    }
    const check = new pg.Client({ connectionString: checkUrl });
    await check.connect();
    const stored = Number((await check.query("SELECT count(*) FROM judgments WHERE campaign_id = $1", [campaign.id])).rows[0].count);
    const overfull = Number((await check.query(`SELECT count(*) FROM items WHERE campaign_id = $1 AND human_count > ${overlap}`, [campaign.id])).rows[0].count);
    const dupes = Number(
      (
        await check.query("SELECT count(*) FROM (SELECT item_id, user_id FROM judgments WHERE campaign_id = $1 GROUP BY 1, 2 HAVING count(*) > 1) d", [
          campaign.id,
        ])
      ).rows[0].count,
    );
    // Background work the run caused: reward-model versions trained while annotators worked.
    const { rows: trainingRuns } = await check.query<{ trained_on: string | null; runs: number; total_ms: number; max_ms: number }>(`
      SELECT result ->> 'trainedOn' AS trained_on, count(*)::int AS runs, coalesce(sum((result ->> 'trainingMs')::int), 0)::int AS total_ms, coalesce(max((result ->> 'trainingMs')::int), 0)::int AS max_ms
      FROM jobs WHERE queue = 'reward-model' AND status = 'done' AND result ? 'trainingMs' GROUP BY 1`);
    await check.end();

    // On the embedded database its socket takes a few connections at most: the baseline runs at that concurrency.
    const baseline = await directInsertBaseline(checkUrl!, embedded ? 4 : annotators, Math.max(judgments, 2000));
    const result = {
      machine: machineLine(),
      cpus: cpus().length,
      annotators,
      webProcesses,
      leanRoutes,
      database: embedded ? "embedded PGlite" : "PostgreSQL server",
      items: itemCount,
      overlap,
      thinkMs,
      rampSeconds: rampMs / 1000,
      hints: args.hints === "off" ? "off" : "on",
      worker: separateWorker ? "separate process" : "in the web server",
      http: {
        seconds: Number(elapsed.toFixed(1)),
        judgments,
        judgmentsPerSecond: Number((judgments / elapsed).toFixed(1)),
        errors,
        errorSamples,
        next: roundFigures(summarize(nextLatency)),
        submit: roundFigures(summarize(submitLatency)),
      },
      rewardTraining: trainingRuns.map((r) => ({ trainedOn: r.trained_on, runs: r.runs, totalMs: r.total_ms, maxMs: r.max_ms })),
      integrity: { storedJudgments: stored, acknowledged: judgments, itemsOverOverlap: overfull, duplicateItemUserPairs: dupes },
      baseline,
      ratio: Number((judgments / elapsed / baseline.transactionsPerSecond).toFixed(3)),
    };
    console.log(JSON.stringify(result, null, 2));
    if (stored !== judgments || overfull > 0 || dupes > 0) process.exitCode = 1;
  } finally {
    if (worker) {
      worker.kill("SIGTERM");
      await new Promise((r) => worker.once("exit", r));
    }
    await embeddedAfterRun?.stop();
    await app.stop();
    await db.drop();
  }
}

/** The same writes per judgment (lease row, judgment row, item counter) in one transaction each, straight through `pg`. */
async function directInsertBaseline(url: string, concurrency: number, total: number) {
  const pool = new pg.Pool({ connectionString: url, max: Math.min(10, concurrency) });
  const {
    rows: [campaign],
  } = await pool.query("SELECT id FROM campaigns LIMIT 1");
  const { rows: users } = await pool.query("SELECT id FROM users WHERE role = 'annotator'");
  await pool.query("CREATE TEMP TABLE IF NOT EXISTS _noop (x int)");
  const {
    rows: [item],
  } = await pool.query("SELECT id FROM items WHERE campaign_id = $1 LIMIT 1", [campaign.id]);
  const { rows: responses } = await pool.query("SELECT id FROM responses WHERE item_id = $1", [item.id]);
  // Fresh items so the unique (item, user) constraint holds: one synthetic item per transaction.
  const latencies: number[] = [];
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (done < total) {
        done++;
        const t0 = performance.now();
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const {
            rows: [newItem],
          } = await client.query("INSERT INTO items (campaign_id, external_id, position, prompt) VALUES ($1, $2, 0, 'x') RETURNING id", [
            campaign.id,
            `direct-${worker}-${done}-${randomUUID()}`,
          ]);
          const {
            rows: [lease],
          } = await client.query(
            "INSERT INTO assignments (campaign_id, item_id, user_id, status, candidate_order, expires_at) VALUES ($1, $2, $3, 'submitted', $4, now()) RETURNING id",
            [campaign.id, newItem.id, users[worker % users.length].id, responses.map((r: { id: string }) => r.id)],
          );
          await client.query(
            "INSERT INTO judgments (campaign_id, item_id, assignment_id, source, user_id, verdict, winner_id, presented_order, idempotency_key) VALUES ($1, $2, $3, 'human', $4, 'winner', $5, $6, $7)",
            [campaign.id, newItem.id, lease.id, users[worker % users.length].id, responses[0].id, responses.map((r: { id: string }) => r.id), randomUUID()],
          );
          await client.query("UPDATE items SET human_count = human_count + 1 WHERE id = $1", [newItem.id]);
          await client.query("COMMIT");
        } finally {
          client.release();
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.end();
  return {
    transactions: latencies.length,
    seconds: Number(elapsed.toFixed(1)),
    transactionsPerSecond: Number((latencies.length / elapsed).toFixed(1)),
    latency: roundFigures(summarize(latencies)),
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * A server that has just started loads each route's code and compiles its hot functions on the
 * first requests; a launch-day drive meets a server that has run for a while. So before the
 * measured run, 20 clients (20 connections, spread over every web process) take and judge 300
 * tasks of a separate campaign, whose items and judgments the measured campaign never sees.
 */
async function warmUp(base: string, admin: string) {
  const campaign = (
    await http<{ id: string }>(base, "/api/v1/campaigns", {
      token: admin,
      body: { name: "warm-up", taskType: "pairwise", status: "active", config: { overlap: 1, goldRate: 0 } },
    })
  ).data;
  const lines = Array.from({ length: 300 }, (_, i) =>
    JSON.stringify({ id: `w-${i}`, prompt: `Warm-up ${i}?`, responses: [{ content: `One ${i}.` }, { content: `Two ${i}.` }] }),
  ).join("\n");
  await http(base, `/api/v1/campaigns/${campaign.id}/items?format=native`, { token: admin, body: lines, headers: { "content-type": "application/x-ndjson" } });
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let i = 0; i < 15; i++) {
        const next = await http<{ assignmentId: string; candidates: Array<{ id: string }> }>(base, `/api/v1/campaigns/${campaign.id}/tasks/next`, {
          token: admin,
        });
        if (next.status !== 200) return;
        await http(base, `/api/v1/assignments/${next.data.assignmentId}/judgment`, { token: admin, body: { winner: next.data.candidates[0]!.id } });
      }
    }),
  );
}

/**
 * Where PostgreSQL's time goes during the run: wait events of the app's connections sampled every
 * 50 ms (null = on CPU), and, if the server preloads pg_stat_statements, its top statements by total time.
 */
async function startDatabaseProfile(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const statements = await client
    .query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    .then(() => client.query("SELECT pg_stat_statements_reset()"))
    .then(() => true)
    .catch(() => false);
  const waits = new Map<string, number>();
  let samples = 0;
  const timer = setInterval(() => {
    void client
      .query<{ wait: string; n: number }>(
        "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait, count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1",
      )
      .then(({ rows }) => {
        samples++;
        for (const row of rows) waits.set(row.wait, (waits.get(row.wait) ?? 0) + row.n);
      })
      .catch(() => {});
  }, 50);
  return {
    async stop() {
      clearInterval(timer);
      const top = statements
        ? (
            await client.query(
              "SELECT calls::int, round(total_exec_time::numeric, 1)::float AS total_ms, round(mean_exec_time::numeric, 3)::float AS mean_ms, rows::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 20",
            )
          ).rows
        : "pg_stat_statements not preloaded (shared_preload_libraries)";
      await client.end();
      const activeConnectionsBySample = Object.fromEntries(
        [...waits].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Number((v / Math.max(1, samples)).toFixed(3))]),
      );
      return { samples, activeConnectionsBySample, topStatements: top };
    },
  };
}
