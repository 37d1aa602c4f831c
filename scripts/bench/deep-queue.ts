import { randomUUID } from "node:crypto";
import pg from "pg";
import { scratchDatabase } from "../lib/databases.ts";
import { machineLine, roundFigures, summarize } from "../lib/figures.ts";
import { tokenFor } from "../lib/fixtures.ts";
import { http } from "../lib/http-client.ts";
import { launchApp } from "../lib/launch-app.ts";
import { benchArgs } from "./args.ts";

/**
 * One annotator deep into a large campaign: they have judged all but the last few items, and ask
 * for more over HTTP against the production build. Without a per-member search mark every
 * request re-checked each item they had already done. Baseline in the same run: that search
 * from the start, run directly with `pg` (JIT off, as the app's sessions run, and on, the
 * Postgres default). Usage:
 *   npx tsx scripts/bench/deep-queue.ts [--items 20000] [--tasks 40] [--overlap 3]
 */
const args = benchArgs();
const itemCount = Number(args.items ?? 20_000);
const tasks = Number(args.tasks ?? 40);
const overlap = Number(args.overlap ?? 3);
const port = Number(args.port ?? 3312);

async function main() {
  const db = await scratchDatabase("arbiter_bench_deep");
  const app = await launchApp({ database: db, port, adminEmail: "bench@arbiter.local", adminPassword: "bench-password" });
  const sql = new pg.Client({ connectionString: db.url });
  try {
    const base = app.baseUrl;
    const admin = await tokenFor(base, "bench@arbiter.local", "bench-password");
    const campaign = (
      await http<{ id: string }>(base, "/api/v1/campaigns", {
        token: admin,
        body: { name: "deep", taskType: "pairwise", status: "active", config: { overlap, goldRate: 0, hintMode: "off" } },
      })
    ).data;
    const lines = Array.from({ length: itemCount }, (_, i) =>
      JSON.stringify({ id: `d-${i}`, prompt: `Question ${i}?`, responses: [{ content: `One ${i}.` }, { content: `Two ${i}.` }] }),
    ).join("\n");
    const imported = await http(base, `/api/v1/campaigns/${campaign.id}/items?format=native`, {
      token: admin,
      body: lines,
      headers: { "content-type": "application/x-ndjson" },
    });
    if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.data)}`);
    await http(base, "/api/v1/users", {
      token: admin,
      body: { email: "deep@bench.local", role: "annotator", password: "annotator-pass", campaignId: campaign.id },
    });
    const token = (await http<{ token: string }>(base, "/api/v1/tokens", { body: { email: "deep@bench.local", password: "annotator-pass" } })).data.token;

    // Their history, written directly: every item but the last `tasks + 10` judged by them once.
    await sql.connect();
    const {
      rows: [user],
    } = await sql.query("SELECT id FROM users WHERE email = 'deep@bench.local'");
    const done = itemCount - tasks - 10;
    await sql.query(
      `INSERT INTO assignments (campaign_id, item_id, user_id, status, candidate_order, leased_at, expires_at, completed_at)
       SELECT i.campaign_id, i.id, $2, 'submitted', ARRAY(SELECT r.id FROM responses r WHERE r.item_id = i.id ORDER BY r.position), now(), now(), now()
       FROM items i WHERE i.campaign_id = $1 AND i.position < $3`,
      [campaign.id, user.id, done],
    );
    await sql.query("UPDATE items SET human_count = 1 WHERE campaign_id = $1 AND position < $2", [campaign.id, done]);
    await sql.query("ANALYZE");

    // Baseline: the search from the start that every request made before the mark.
    const searchFromStart = `
      SELECT i.id FROM items i WHERE i.campaign_id = $1 AND i.human_count > 0 AND i.human_count < $3 AND NOT i.is_gold
        AND i.human_count + (SELECT count(*) FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now()) < $3
        AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = $2 AND (a.status IN ('submitted', 'skipped') OR (a.status = 'leased' AND a.expires_at > now())))
      ORDER BY i.position LIMIT 1`;
    const baseline: Record<string, Record<string, number>> = {};
    for (const jit of ["off", "on"]) {
      await sql.query(`SET jit = ${jit}`);
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await sql.query(searchFromStart, [campaign.id, user.id, overlap]);
        times.push(performance.now() - t0);
      }
      baseline[`searchFromStartJit${jit === "on" ? "On" : "Off"}`] = roundFigures(summarize(times));
    }

    const next: number[] = [];
    const submit: number[] = [];
    for (let n = 0; n < tasks; n++) {
      const t0 = performance.now();
      const task = await http<{ assignmentId: string; candidates: Array<{ id: string }> }>(base, `/api/v1/campaigns/${campaign.id}/tasks/next`, { token });
      next.push(performance.now() - t0);
      if (task.status !== 200) throw new Error(`tasks/next answered ${task.status}: ${JSON.stringify(task.data)}`);
      const t1 = performance.now();
      const sent = await http(base, `/api/v1/assignments/${task.data.assignmentId}/judgment`, {
        token,
        body: { winner: task.data.candidates[0]!.id },
        headers: { "idempotency-key": randomUUID() },
      });
      submit.push(performance.now() - t1);
      if (sent.status !== 201) throw new Error(`judgment answered ${sent.status}`);
    }
    const {
      rows: [mark],
    } = await sql.query("SELECT scan_from FROM campaign_members WHERE campaign_id = $1 AND user_id = $2", [campaign.id, user.id]);
    console.log(
      JSON.stringify(
        {
          machine: machineLine(),
          items: itemCount,
          judgedBefore: done,
          overlap,
          // The first request moves the mark across the whole history once.
          firstNextMs: Number(next[0]!.toFixed(1)),
          next: roundFigures(summarize(next.slice(1))),
          submit: roundFigures(summarize(submit)),
          markAfter: mark.scan_from,
          baseline,
        },
        null,
        2,
      ),
    );
  } finally {
    await sql.end().catch(() => {});
    await app.stop();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
