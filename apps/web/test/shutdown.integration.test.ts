import { request as httpRequest } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startOpenAITestServer, type OpenAITestServer } from "@arbiter/judge/testing";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { createCampaign, tokenFor, type Fixture } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";
import { sleep, waitFor } from "../../../scripts/lib/wait.ts";

/**
 * Issue 22: SIGTERM drains. Readiness (`/api/health`) turns 503 for ARBITER_SHUTDOWN_DELAY_MS while
 * liveness (`/api/health/live`) and every other request are still served; an upload in flight
 * completes; the in-process worker's running judge jobs are handed back to the queue at once
 * (not left leased until their lease runs out); the process exits 0.
 */

const built = buildExists();
const embedded = inject("embeddedDb");
const ADMIN = { email: "admin@shutdown.test", password: "shutdown-admin-password" };
const DELAY_MS = 2_000;
const GRACE_MS = 3_000;

let database: AppDatabase;
let app: RunningApp;
let judge: OpenAITestServer;

/** An item import sent in slow chunks: in flight while the server is told to stop. */
function slowImport(f: Fixture, campaignId: string, lines: string[], pauseMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${f.baseUrl}/api/v1/campaigns/${campaignId}/items?format=native`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.adminToken}`, "content-type": "application/x-ndjson", "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    void (async () => {
      for (const line of lines) {
        req.write(`${line}\n`);
        await sleep(pauseMs);
      }
      req.end();
    })();
  });
}

describe.skipIf(!built)("graceful shutdown on SIGTERM", () => {
  beforeAll(async () => {
    judge = await startOpenAITestServer();
    judge.setHandler(() => ({ type: "hang" }));
    database = await appDatabase({ embedded, prefix: "arbiter_shutdown" });
    app = await launchApp({
      database,
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      baseEnv: process.env,
      env: {
        ARBITER_WORKER: "on",
        ARBITER_WORKER_POLL_MS: "100",
        ARBITER_ALLOWED_HOSTS: "127.0.0.1",
        ARBITER_SHUTDOWN_DELAY_MS: String(DELAY_MS),
        ARBITER_SHUTDOWN_GRACE_MS: String(GRACE_MS),
      },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await judge?.close();
    await database?.drop();
  });

  it("drains: readiness 503 while serving, the upload in flight completes, judge jobs go back to the queue, exit 0", async () => {
    expect((await http(app.baseUrl, "/api/health/live")).status).toBe(200);
    expect((await http(app.baseUrl, "/api/health")).status).toBe(200);
    const f: Fixture = { baseUrl: app.baseUrl, adminToken: await tokenFor(app.baseUrl, ADMIN.email, ADMIN.password), headers: {} };

    // A judge campaign whose judge never answers: its jobs are running in the in-process worker when SIGTERM comes.
    const judged = await createCampaign(f, {
      name: "judged",
      config: {
        overlap: 1,
        goldRate: 0,
        routing: { mode: "all_judge", humanBudget: 0, calibrationFraction: 0, seed: 1 },
        judge: { enabled: true, baseUrl: judge.baseUrl, model: "hanging-judge", maxRetries: 0, timeoutMs: 120_000 },
      },
    });
    const items = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) =>
        JSON.stringify({
          id: `${prefix}-${i}`,
          prompt: `Question ${i}?`,
          responses: [
            { id: "a", content: `One ${i}.`, model: "m1" },
            { id: "b", content: `Two ${i}.`, model: "m2" },
          ],
        }),
      );
    expectStatus(
      await http(app.baseUrl, `/api/v1/campaigns/${judged.id}/items?format=native`, {
        token: f.adminToken,
        headers: { "content-type": "application/x-ndjson" },
        body: items(3, "j").join("\n"),
      }),
      200,
      "import judged items",
    );
    await waitFor(() => judge.inFlight > 0, 60_000, "a judge call in flight");

    const target = await createCampaign(f, { name: "upload", status: "draft" });
    const upload = slowImport(f, target.id, items(8, "u"), 400);
    await sleep(300);
    const [launcher] = app.pids();
    process.kill(launcher!, "SIGTERM");
    await sleep(300);
    // Draining: not ready, but alive and still serving.
    const ready = await http<{ status: string }>(app.baseUrl, "/api/health");
    expect(ready.status).toBe(503);
    expect(ready.data.status).toBe("draining");
    expect((await http(app.baseUrl, "/api/health/live")).status).toBe(200);
    expect((await http(app.baseUrl, "/api/v1/campaigns", { token: f.adminToken })).status).toBe(200);

    expect(await upload).toBe(200);
    const exit = await new Promise<number | null>((resolve) =>
      app.child.exitCode !== null ? resolve(app.child.exitCode) : app.child.once("exit", (code) => resolve(code)),
    );
    expect(exit).toBe(0);
    expect(app.log()).toContain("job worker stopped");

    if (!database.url) return; // the embedded database lived in the app's process tree
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const imported = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM items WHERE campaign_id = $1::uuid", [target.id]);
      expect(imported.rows[0]?.n).toBe(8);
      const jobs = await client.query<{ status: string; locked_until: Date | null; attempts: number }>(
        "SELECT status, locked_until, attempts FROM jobs WHERE queue = 'judge'",
      );
      expect(jobs.rows.length).toBeGreaterThan(0);
      // Handed back at once: none left running under a lease another worker would have to wait out.
      expect(jobs.rows.filter((j) => j.status === "running")).toEqual([]);
      expect(jobs.rows.filter((j) => j.attempts > 0).every((j) => j.status === "queued" && j.locked_until === null)).toBe(true);
    } finally {
      await client.end();
    }
  }, 180_000);
});
