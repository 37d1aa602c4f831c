import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startOpenAITestServer, streamWith, type OpenAITestServer } from "@arbiter/judge/testing";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { addMember, createCampaign, createUser, tokenFor, type Fixture } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";

/**
 * Issue 20: ARBITER_WEB_PROCESSES=2 — two server processes share one port (Node's cluster
 * module hands out connections round-robin). What must hold: both serve; a live battle started
 * through one process streams from either (the primary relays battle events); a process that
 * dies is replaced while the other keeps serving; SIGTERM stops them all.
 */

const built = buildExists();
const embedded = inject("embeddedDb");
if (built && embedded) console.warn("[web-processes] SKIPPED: several web processes need a PostgreSQL server (DATABASE_URL=postgres://…).");

const ADMIN = { email: "admin@processes.test", password: "processes-admin-password" };
const ANNOTATOR = { email: "annotator@processes.test", password: "processes-annotator-password" };
let database: AppDatabase;
let app: RunningApp;
const servers: OpenAITestServer[] = [];

/** One request on a connection of its own (no keep-alive), so consecutive requests reach different processes. */
function freshConnection(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers: { authorization: `Bearer ${token}`, connection: "close" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error("timed out")));
    req.end();
  });
}

describe.skipIf(!built || embedded)("two web processes on one port", () => {
  beforeAll(async () => {
    for (const name of ["left", "right"])
      servers.push(
        await startOpenAITestServer({
          handler: () => streamWith(`The ${name} contestant answers in twenty small words, one every few milliseconds or so.`, { tokenDelayMs: 40 }),
        }),
      );
    database = await appDatabase({ embedded: false, prefix: "arbiter_processes" });
    app = await launchApp({
      database,
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      env: { ARBITER_WEB_PROCESSES: "2", ARBITER_WORKER: "off", ARBITER_ALLOWED_HOSTS: "127.0.0.1" },
    });
  }, 360_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    await Promise.all(servers.map((s) => s.close()));
  });

  it("both processes start and serve", async () => {
    expect(app.log()).toMatch(/2 web processes on port/);
    expect(app.log()).toMatch(/web server process 0 ready/);
    expect(app.log()).toMatch(/web server process 1 ready/);
    for (let i = 0; i < 8; i++) expect((await freshConnection(`${app.baseUrl}/api/health`, "none")).status).toBe(200);
  });

  it("a battle started through one process streams, whole, from either", async () => {
    const f: Fixture = { baseUrl: app.baseUrl, adminToken: await tokenFor(app.baseUrl, ADMIN.email, ADMIN.password), headers: {} };
    const campaign = await createCampaign(f, {
      name: "Processes battle",
      config: {
        overlap: 1,
        goldRate: 0,
        live: {
          promptSource: "annotator",
          battlesPerMinute: 100,
          contestants: servers.map((s, i) => ({ name: `contestant-${i}`, baseUrl: s.baseUrl, model: `org/model-${i}`, timeoutMs: 20_000 })),
        },
      },
    });
    const annotator = await createUser(f, { ...ANNOTATOR, role: "annotator" });
    await addMember(f, campaign.id, annotator.id);
    const token = await tokenFor(app.baseUrl, ANNOTATOR.email, ANNOTATOR.password);

    for (let round = 0; round < 2; round++) {
      const started = expectStatus(
        await http<{ battleId: string }>(app.baseUrl, `/api/v1/campaigns/${campaign.id}/battles`, {
          token,
          body: { prompt: `Say something, round ${round}.` },
        }),
        201,
        "start a battle",
      );
      // Four readers at once on connections of their own: round-robin sends them to both processes while the answers are still streaming.
      const streams = await Promise.all([0, 1, 2, 3].map(() => freshConnection(`${app.baseUrl}/api/v1/battles/${started.battleId}/stream`, token)));
      for (const stream of streams) {
        expect(stream.status).toBe(200);
        expect(stream.body).not.toContain("not_here");
        expect(stream.body).toContain("event: ready");
        const answers = new Map<string, string>();
        for (const m of stream.body.matchAll(/event: delta\ndata: (.*)\n/g)) {
          const delta = JSON.parse(m[1]!) as { candidateId: string; text: string };
          answers.set(delta.candidateId, (answers.get(delta.candidateId) ?? "") + delta.text);
        }
        expect([...answers.values()].sort()).toEqual([
          "The left contestant answers in twenty small words, one every few milliseconds or so.",
          "The right contestant answers in twenty small words, one every few milliseconds or so.",
        ]);
      }
    }
  });

  it("a process killed with SIGKILL is replaced; the other keeps serving meanwhile", async () => {
    const before = app.pids();
    // The launcher → the cluster's primary → its two web processes: kill one of those (a grandchild of the launcher).
    const parentOf = (pid: number) => {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    };
    const primary = before.find((pid) => pid !== app.child.pid && parentOf(pid) === app.child.pid);
    const webProcesses = before.filter((pid) => parentOf(pid) === primary);
    expect(webProcesses.length).toBeGreaterThanOrEqual(2);
    const victim = webProcesses.at(-1)!;
    process.kill(victim, "SIGKILL");
    const waitForLog = async (pattern: RegExp, count: number, what: string) => {
      const deadline = Date.now() + 120_000;
      while ((app.log().match(pattern) ?? []).length < count) {
        if (Date.now() > deadline) throw new Error(`${what}:\n${app.log().slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // Once the primary has seen the death (a connection handed to a process in the instant it dies is lost,
    // as with any crashed server), the other process serves alone until the replacement is up.
    await waitForLog(/web process \d exited \(SIGKILL\); starting another/g, 1, "the primary did not notice the death");
    for (let i = 0; i < 6; i++) expect((await freshConnection(`${app.baseUrl}/api/health`, "none")).status).toBe(200);
    await waitForLog(/web server process \d ready/g, 3, "no replacement process");
    expect(app.pids()).not.toContain(victim);
    expect(app.pids().length).toBe(before.length);
    for (let i = 0; i < 6; i++) expect((await freshConnection(`${app.baseUrl}/api/health`, "none")).status).toBe(200);
  }, 180_000);
});
