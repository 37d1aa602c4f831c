import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { addMember, createCampaign, createUser, importItems, tokenFor, type Fixture } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http, type HttpResult } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";

/**
 * Issue 20: the web server answers `GET …/tasks/next` and `POST …/judgment` itself
 * (apps/web/lib/lean-routes.ts) unless ARBITER_LEAN_ROUTES=off. Two servers on one database —
 * one lean, one where Next.js answers — must give the same answers: statuses, bodies, error
 * shapes, security headers, idempotent replays across them, CSRF refusals and body limits.
 */

const built = buildExists();
const embedded = inject("embeddedDb");
if (built && embedded) console.warn("[lean-routes] SKIPPED: two servers on one database need a PostgreSQL server (DATABASE_URL=postgres://…).");

const ADMIN = { email: "admin@lean.test", password: "lean-admin-password" };
const ANNOTATOR = { email: "annotator@lean.test", password: "lean-annotator-password" };
const HEADERS_COMPARED = [
  "content-type",
  "content-security-policy",
  "x-content-type-options",
  "referrer-policy",
  "x-frame-options",
  "permissions-policy",
  "cross-origin-opener-policy",
  "retry-after",
  "idempotent-replayed",
];

let database: AppDatabase;
let lean: RunningApp;
let nextOnly: RunningApp;
let campaignId: string;
let pausedCampaignId: string;
let longCampaignId: string;
let annotatorToken: string;
let adminToken: string;

function headersOf(result: HttpResult): Record<string, string | null> {
  if (process.env.LEAN_DEBUG) console.log([...result.headers.entries()]);
  return Object.fromEntries(HEADERS_COMPARED.map((name) => [name, result.headers.get(name)]));
}

/** The same request to both servers: same status, same body, same compared headers. */
async function same(path: string, init: Parameters<typeof http>[2] = {}): Promise<HttpResult> {
  const a = await http(lean.baseUrl, path, init);
  const b = await http(nextOnly.baseUrl, path, init);
  expect({ status: a.status, body: a.data, headers: headersOf(a) }, `${init.method ?? "GET"} ${path}`).toEqual({
    status: b.status,
    body: b.data,
    headers: headersOf(b),
  });
  return a;
}

describe.skipIf(!built || embedded)("lean routes answer as Next.js does", () => {
  beforeAll(async () => {
    database = await appDatabase({ embedded: false, prefix: "arbiter_lean" });
    const common = { database, adminEmail: ADMIN.email, adminPassword: ADMIN.password };
    // One secret on both servers, so a session cookie from one signs in on the other.
    const secret = { ARBITER_WORKER: "off", ARBITER_SECRET_KEY: crypto.randomUUID() + crypto.randomUUID() };
    lean = await launchApp({ ...common, env: secret });
    nextOnly = await launchApp({ ...common, env: { ...secret, ARBITER_LEAN_ROUTES: "off" } });
    adminToken = await tokenFor(lean.baseUrl, ADMIN.email, ADMIN.password);
    const f: Fixture = { baseUrl: lean.baseUrl, adminToken, headers: {} };
    campaignId = (await createCampaign(f, { name: "Lean", config: { overlap: 2, goldRate: 0 } })).id;
    pausedCampaignId = (await createCampaign(f, { name: "Lean paused", status: "draft", config: { overlap: 2, goldRate: 0 } })).id;
    await importItems(f, campaignId, 6);
    longCampaignId = (await createCampaign(f, { name: "Lean long answers", config: { overlap: 1, goldRate: 0 } })).id;
    const long = (n: number) => Array.from({ length: n }, (_, i) => `Sentence ${i} of a long answer.`).join(" ");
    const imported = await http(lean.baseUrl, `/api/v1/campaigns/${longCampaignId}/items?format=native`, {
      token: adminToken,
      headers: { "content-type": "application/x-ndjson" },
      body: JSON.stringify({ id: "long", prompt: "Explain at length.", responses: [{ content: long(120) }, { content: long(140) }] }),
    });
    expect(imported.status, imported.text).toBe(200);
    const annotator = await createUser(f, { email: ANNOTATOR.email, role: "annotator", password: ANNOTATOR.password });
    await addMember(f, campaignId, annotator.id);
    await addMember(f, pausedCampaignId, annotator.id);
    await addMember(f, longCampaignId, annotator.id);
    annotatorToken = await tokenFor(lean.baseUrl, ANNOTATOR.email, ANNOTATOR.password);
  }, 360_000);

  afterAll(async () => {
    await lean?.stop();
    await nextOnly?.stop();
    await database?.drop();
  });

  it("the lean server registered its routes, the other did not", async () => {
    await http(lean.baseUrl, "/api/health");
    await http(nextOnly.baseUrl, "/api/health");
    expect(lean.log()).toMatch(/lean routes: tasks\/next and judgment submit/);
    expect(nextOnly.log()).not.toMatch(/lean routes:/);
  });

  it("tasks/next: the same task (the open lease) from either server, and the same refusals", async () => {
    const first = await same(`/api/v1/campaigns/${campaignId}/tasks/next`, { token: annotatorToken });
    expect(first.status).toBe(200);
    const task = first.data as { assignmentId: string; candidates: Array<{ id: string }> };
    expect(task.candidates).toHaveLength(2);
    await same(`/api/v1/campaigns/${campaignId}/tasks/next`);
    await same(`/api/v1/campaigns/${campaignId}/tasks/next`, { headers: { authorization: "Basic abc" } });
    await same(`/api/v1/campaigns/${campaignId}/tasks/next`, { token: "arb_not-a-token" });
    await same(`/api/v1/campaigns/00000000-0000-4000-8000-000000000000/tasks/next`, { token: annotatorToken });
    await same(`/api/v1/campaigns/not-a-uuid/tasks/next`, { token: annotatorToken });
    await same(`/api/v1/campaigns/%E0%A4%A/tasks/next`, { token: annotatorToken });
    await same(`/api/v1/campaigns/${pausedCampaignId}/tasks/next`, { token: annotatorToken });
    await same(`/api/v1/campaigns/${campaignId}/tasks/next`, { token: adminToken });
    // A long task is gzipped by both (the lean server on the thread pool, from 1 KB on).
    const long = await same(`/api/v1/campaigns/${longCampaignId}/tasks/next`, { token: annotatorToken, headers: { "accept-encoding": "gzip" } });
    expect(long.status).toBe(200);
    expect(long.text.length).toBeGreaterThan(5000);
    expect(long.headers.get("content-encoding")).toBe("gzip");
    expect((await http(nextOnly.baseUrl, `/api/v1/campaigns/${longCampaignId}/tasks/next`, { token: annotatorToken })).headers.get("content-encoding")).toBe(
      "gzip",
    );
    // `exclude` (prefetch): each server hands out a task other than the one on screen.
    for (const base of [lean.baseUrl, nextOnly.baseUrl]) {
      const after = expectStatus(
        await http<{ assignmentId: string }>(base, `/api/v1/campaigns/${campaignId}/tasks/next?exclude=${task.assignmentId}`, { token: annotatorToken }),
        200,
        "prefetch",
      );
      expect(after.assignmentId).not.toBe(task.assignmentId);
    }
  });

  it("judgment: validation, body limits, idempotent replay across servers, CSRF", async () => {
    const task = expectStatus(
      await http<{ assignmentId: string; candidates: Array<{ id: string }> }>(lean.baseUrl, `/api/v1/campaigns/${campaignId}/tasks/next`, {
        token: annotatorToken,
      }),
      200,
      "task",
    );
    const path = `/api/v1/assignments/${task.assignmentId}/judgment`;
    await same(path, { token: annotatorToken, body: "{not json", headers: { "content-type": "application/json" } });
    await same(path, { token: annotatorToken, body: { winner: "nobody" } });
    await same(path, { token: annotatorToken, body: { winner: task.candidates[0]!.id, extra: 1 } });
    await same(path, { token: annotatorToken, body: "x".repeat(1_000_001), headers: { "content-type": "application/json" } });
    await same(path, { body: { winner: task.candidates[0]!.id } });
    await same(`/api/v1/assignments/00000000-0000-4000-8000-000000000000/judgment`, { token: annotatorToken, body: { winner: task.candidates[0]!.id } });
    // Stored through the lean server, replayed through Next.js with the same key: one judgment, same answer.
    const key = crypto.randomUUID();
    const stored = await http<{ id: string }>(lean.baseUrl, path, {
      token: annotatorToken,
      body: { winner: task.candidates[0]!.id },
      headers: { "idempotency-key": key },
    });
    expect(stored.status, stored.text).toBe(201);
    const replayed = await same(path, { token: annotatorToken, body: { winner: task.candidates[0]!.id }, headers: { "idempotency-key": key } });
    expect(replayed.status).toBe(201);
    expect(replayed.data).toEqual(stored.data);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    // A second judgment of the same assignment without the key: the same refusal from both.
    await same(path, { token: annotatorToken, body: { winner: task.candidates[1]!.id } });

    // A cookie-authenticated change must come from our own origin.
    const signIn = await http(lean.baseUrl, "/api/auth/sign-in/email", { body: ANNOTATOR, headers: { origin: lean.baseUrl } });
    expect(signIn.status, signIn.text).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");
    const next = expectStatus(
      await http<{ assignmentId: string; candidates: Array<{ id: string }> }>(lean.baseUrl, `/api/v1/campaigns/${campaignId}/tasks/next`, { cookie }),
      200,
      "task by cookie",
    );
    const cookiePath = `/api/v1/assignments/${next.assignmentId}/judgment`;
    await same(cookiePath, { cookie, body: { winner: next.candidates[0]!.id } });
    await same(cookiePath, { cookie, body: { winner: next.candidates[0]!.id }, headers: { origin: "https://evil.example" } });
    const accepted = await http(lean.baseUrl, cookiePath, { cookie, body: { winner: next.candidates[0]!.id }, headers: { origin: lean.baseUrl } });
    expect(accepted.status, accepted.text).toBe(201);
  });
});
