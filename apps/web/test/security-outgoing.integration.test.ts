import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { replyWith, startOpenAITestServer, type OpenAITestServer } from "@arbiter/judge/testing";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { createCampaign, createUser, importItems, tokenFor, type Fixture } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http, type HttpResult } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";
import { waitFor } from "../../../scripts/lib/wait.ts";

/**
 * Issue 13, findings 2–4, over HTTP against the production build: what the server's outgoing
 * requests (the LLM judge) may reach and what they may carry.
 * - Host rules: without ARBITER_ALLOWED_HOSTS a judge on 127.0.0.1 (and every other spelling of
 *   an internal address) is refused with 422 and never called; with the test server listed it
 *   works; an unlisted host is refused.
 * - Redirects (302, 307) are never followed; a 500's body is never shown (judge test, routing
 *   `recentErrors`, the server log).
 * - A stored secret goes only to the origin it was stored for; an environment key only from
 *   ARBITER_JUDGE_KEY_ENV_ALLOWLIST.
 * - A base URL with `?api-key=` and user info is redacted in GET /campaigns/:id, the campaign list,
 *   GET …/judge, GET …/routing, its recentErrors, the routing page and the log.
 * Needs `npm run build` first; skipped without it.
 */

const built = buildExists();
const ADMIN = { email: "admin@outgoing.test", password: "outgoing-admin-password" };
const LEAK = "Internal-Pa55-d41c"; // in the 500's body
const URL_KEY = "UrlKey-7d1e9a"; // in the judge URL's query
const URL_PASSWORD = "UrlPw-0b5c"; // in the judge URL's user info
const ENV_KEY_VALUE = `sk-env-${randomUUID()}`;

interface PlainServer {
  url: string;
  host: string;
  hits: () => number;
}

const plainServers: Server[] = [];

/** A plain HTTP server on 127.0.0.1 that gives every request the same answer. */
async function startPlainServer(answer: { status: number; headers?: Record<string, string>; body: string }): Promise<PlainServer> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  plainServers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, host: new URL(url).host, hits: () => hits };
}

async function signIn(app: RunningApp): Promise<Fixture> {
  return { baseUrl: app.baseUrl, adminToken: await tokenFor(app.baseUrl, ADMIN.email, ADMIN.password), headers: {} };
}

async function campaignWithItems(f: Fixture): Promise<string> {
  const id = (await createCampaign(f, { name: `Outgoing ${randomUUID().slice(0, 8)}`, config: { overlap: 1, goldRate: 0 } })).id;
  await importItems(f, id, 3, "o");
  return id;
}

function judgeTest(
  f: Fixture,
  campaignId: string,
  settings: Record<string, unknown>,
): Promise<HttpResult<{ items: Array<{ ok: boolean; error?: { code: string; message: string } }> }>> {
  return http(f.baseUrl, `/api/v1/campaigns/${campaignId}/judge/test`, {
    token: f.adminToken,
    body: { settings: { enabled: true, model: "outgoing-judge", maxRetries: 0, timeoutMs: 5_000, ...settings } },
  });
}

type ErrorAnswer = { error: { code: string; message: string; details?: Array<{ path?: string; reason?: string }> } };

describe.skipIf(!built)("outgoing requests of the production build over HTTP", () => {
  let judge: OpenAITestServer;
  let other: OpenAITestServer;
  let internal: PlainServer;
  let redirect302: PlainServer;
  let redirect307: PlainServer;
  let leaky: PlainServer;
  let leaky400: PlainServer;
  const databases: AppDatabase[] = [];
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    judge = await startOpenAITestServer({ handler: () => replyWith({ winner: "A", confidence: 0.8, rationale: "A is right" }) });
    other = await startOpenAITestServer({ handler: () => replyWith({ winner: "B", confidence: 0.8, rationale: "B is right" }) });
    internal = await startPlainServer({ status: 200, headers: { "content-type": "application/json" }, body: '{"AccessKeyId":"internal-metadata"}' });
    redirect302 = await startPlainServer({ status: 302, headers: { location: `${internal.url}/latest/meta-data/` }, body: "" });
    redirect307 = await startPlainServer({ status: 307, headers: { location: `${internal.url}/v1/chat/completions` }, body: "" });
    leaky = await startPlainServer({
      status: 500,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ error: { message: `db password is ${LEAK}` } }),
    });
    leaky400 = await startPlainServer({
      status: 400,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ error: { message: `bad request; by the way the db password is ${LEAK}` } }),
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await Promise.all(databases.map((db) => db.drop()));
    await Promise.all([judge?.close(), other?.close(), ...plainServers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))]);
  });

  async function start(env: Record<string, string>): Promise<{ app: RunningApp; f: Fixture }> {
    const database = await appDatabase({ embedded: inject("embeddedDb"), prefix: "arbiter_outgoing" });
    databases.push(database);
    const app = await launchApp({
      database,
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      baseEnv: process.env,
      env: { ARBITER_WORKER_POLL_MS: "200", ...env },
    });
    apps.push(app);
    return { app, f: await signIn(app) };
  }

  describe("without ARBITER_ALLOWED_HOSTS: public hosts only", () => {
    let f: Fixture;
    let campaignId: string;

    beforeAll(async () => {
      ({ f } = await start({}));
      campaignId = await campaignWithItems(f);
    }, 240_000);

    it("refuses a judge on 127.0.0.1, in any spelling, and on the metadata address: 422, nothing sent", async () => {
      const port = new URL(judge.baseUrl).port;
      const before = judge.requests.length;
      const urls = [
        judge.baseUrl,
        `http://localhost:${port}/v1`,
        `http://LOCALHOST.:${port}/v1`,
        `http://2130706433:${port}/v1`,
        `http://0x7f.1:${port}/v1`,
        `http://[::ffff:127.0.0.1]:${port}/v1`,
        `http://0.0.0.0:${port}/v1`,
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://10.0.0.1:8000/v1",
      ];
      for (const baseUrl of urls) {
        const tested = await judgeTest(f, campaignId, { baseUrl });
        expect(tested.status, `${baseUrl}: ${tested.text}`).toBe(422);
        expect((tested.data as unknown as ErrorAnswer).error.details?.[0]).toMatchObject({ path: "baseUrl", reason: "address_not_allowed" });
        expect(tested.text).toMatch(/ARBITER_ALLOWED_HOSTS/);
      }
      const saved = await http<ErrorAnswer>(f.baseUrl, `/api/v1/campaigns/${campaignId}/judge`, {
        method: "PUT",
        token: f.adminToken,
        body: { enabled: true, baseUrl: judge.baseUrl, model: "m" },
      });
      expect(saved.status).toBe(422);
      expect(saved.data.error.message).toMatch(/The judge's base URL is refused: 127\.0\.0\.1 is a loopback address/);
      const patched = await http(f.baseUrl, `/api/v1/campaigns/${campaignId}`, {
        method: "PATCH",
        token: f.adminToken,
        body: { config: { judge: { enabled: true, baseUrl: judge.baseUrl, model: "m" } } },
      });
      expect(patched.status).toBe(422);
      const created = await http(f.baseUrl, "/api/v1/campaigns", {
        token: f.adminToken,
        body: { name: "x", taskType: "pairwise", config: { judge: { baseUrl: "http://169.254.169.254/", model: "m" } } },
      });
      expect(created.status).toBe(422);
      expect(judge.requests.length).toBe(before);
    });
  });

  describe("with the test servers in ARBITER_ALLOWED_HOSTS", () => {
    let app: RunningApp;
    let f: Fixture;
    let researcherToken: string;
    let researcherCookie: string;

    beforeAll(async () => {
      // The internal server is listed too: a redirect must not reach it even where it is allowed.
      const listed = [judge.baseUrl, other.baseUrl, internal.url, redirect302.url, redirect307.url, leaky.url, leaky400.url]
        .map((url) => new URL(url).host)
        .join(",");
      ({ app, f } = await start({
        ARBITER_ALLOWED_HOSTS: listed,
        ARBITER_JUDGE_KEY_ENV_ALLOWLIST: "OUTGOING_TEST_JUDGE_KEY",
        OUTGOING_TEST_JUDGE_KEY: ENV_KEY_VALUE,
      }));
      const email = `researcher-${randomUUID().slice(0, 8)}@outgoing.test`;
      await createUser(f, { email, role: "researcher", password: "researcher-password-1" });
      researcherToken = await tokenFor(app.baseUrl, email, "researcher-password-1");
      const signedIn = await http(app.baseUrl, "/api/auth/sign-in/email", {
        body: { email, password: "researcher-password-1" },
        headers: { origin: app.baseUrl },
      });
      expect(signedIn.status, signedIn.text).toBe(200);
      researcherCookie = signedIn.headers
        .getSetCookie()
        .map((c) => c.split(";")[0]!)
        .join("; ");
    }, 240_000);

    it("a listed judge works; an unlisted port on the same host is refused (422 host_not_allowed), nothing sent", async () => {
      const campaignId = await campaignWithItems(f);
      const ok = await judgeTest(f, campaignId, { baseUrl: judge.baseUrl });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.data.items.every((i) => i.ok)).toBe(true);
      const closed = await judgeTest(f, campaignId, { baseUrl: "http://127.0.0.1:9/v1" });
      expect(closed.status).toBe(422);
      expect((closed.data as unknown as ErrorAnswer).error.details?.[0]?.reason).toBe("host_not_allowed");
      const unlisted = await judgeTest(f, campaignId, { baseUrl: "https://api.openai.com/v1" });
      expect(unlisted.status).toBe(422);
    });

    it("never follows a redirect (302 turned GET, 307 re-sent body): the server behind it gets nothing", async () => {
      const campaignId = await campaignWithItems(f);
      for (const [server, status] of [
        [redirect302, 302],
        [redirect307, 307],
      ] as const) {
        const tested = await judgeTest(f, campaignId, { baseUrl: `${server.url}/v1`, maxRetries: 3 });
        expect(tested.status, tested.text).toBe(200);
        expect(tested.data.items.map((i) => i.error?.code)).toEqual(["redirect", "redirect", "redirect"]);
        expect(tested.data.items[0]!.error!.message).toContain(`answered ${status} (a redirect); redirects are not followed`);
        expect(server.hits()).toBeGreaterThan(0);
      }
      expect(internal.hits()).toBe(0);
      expect(app.log()).not.toContain("internal-metadata");
    });

    it("a stored secret is sent only to the origin it was stored for (409 elsewhere, nothing sent), until stored again", async () => {
      const campaignId = await campaignWithItems(f);
      const key = `sk-stored-${randomUUID()}`;
      expectStatus(
        await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/judge`, {
          method: "PUT",
          token: f.adminToken,
          body: { enabled: false, baseUrl: judge.baseUrl, model: "m", apiKeyRef: { secret: "judgekey" } },
        }),
        200,
        "judge settings",
      );
      const stored = expectStatus(
        await http<{ origin: string }>(f.baseUrl, `/api/v1/campaigns/${campaignId}/secrets/judgekey`, {
          method: "PUT",
          token: f.adminToken,
          body: { value: key },
        }),
        201,
        "secret",
      );
      expect(stored.origin).toBe(new URL(judge.baseUrl).origin);

      const before = other.requests.length;
      const elsewhere = await judgeTest(f, campaignId, { baseUrl: other.baseUrl, apiKeyRef: { secret: "judgekey" } });
      expect(elsewhere.status, elsewhere.text).toBe(409);
      expect((elsewhere.data as unknown as ErrorAnswer).error.details?.[0]).toMatchObject({ path: "apiKeyRef", reason: "secret_origin_mismatch" });
      expect(other.requests.length).toBe(before);
      const savedElsewhere = await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/judge`, {
        method: "PUT",
        token: f.adminToken,
        body: { enabled: true, baseUrl: other.baseUrl, model: "m", apiKeyRef: { secret: "judgekey" } },
      });
      expect(savedElsewhere.status).toBe(409);

      const judgeBefore = judge.requests.length;
      expect((await judgeTest(f, campaignId, { baseUrl: judge.baseUrl, apiKeyRef: { secret: "judgekey" } })).status).toBe(200);
      expect(judge.requests.slice(judgeBefore).every((r) => r.headers.authorization === `Bearer ${key}`)).toBe(true);

      const keyB = `sk-other-${randomUUID()}`;
      expectStatus(
        await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/secrets/judgekey`, {
          method: "PUT",
          token: f.adminToken,
          body: { value: keyB, origin: other.baseUrl },
        }),
        200,
        "secret again",
      );
      expect((await judgeTest(f, campaignId, { baseUrl: other.baseUrl, apiKeyRef: { secret: "judgekey" } })).status).toBe(200);
      expect(other.requests.slice(before).every((r) => r.headers.authorization === `Bearer ${keyB}`)).toBe(true);
    });

    it("an environment key only from ARBITER_JUDGE_KEY_ENV_ALLOWLIST: PATH and the like are 422, a listed one is sent", async () => {
      const campaignId = await campaignWithItems(f);
      const before = judge.requests.length;
      for (const env of ["PATH", "HOME", "PGPASSWORD", "ARBITER_SECRET_KEY"]) {
        const tested = await judgeTest(f, campaignId, { baseUrl: judge.baseUrl, apiKeyRef: { env } });
        expect(tested.status, `${env}: ${tested.text}`).toBe(422);
        expect((tested.data as unknown as ErrorAnswer).error.details?.[0]).toMatchObject({ path: "apiKeyRef", reason: "key_env_not_allowed" });
        const saved = await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/judge`, {
          method: "PUT",
          token: f.adminToken,
          body: { enabled: true, baseUrl: judge.baseUrl, model: "m", apiKeyRef: { env } },
        });
        expect(saved.status).toBe(422);
      }
      expect(judge.requests.length).toBe(before);
      expect((await judgeTest(f, campaignId, { baseUrl: judge.baseUrl, apiKeyRef: { env: "OUTGOING_TEST_JUDGE_KEY" } })).status).toBe(200);
      expect(judge.requests.slice(before).every((r) => r.headers.authorization === `Bearer ${ENV_KEY_VALUE}`)).toBe(true);
    });

    it("a 500's body and the URL's credentials appear nowhere: judge test, campaign, list, judge, routing, recentErrors, routing page, log", async () => {
      const campaignId = await campaignWithItems(f);
      const secretUrl = `${leaky.url.replace("http://", `http://bob:${URL_PASSWORD}@`)}/v1?api-key=${URL_KEY}&api-version=2024-02-01`;
      const tested = await judgeTest(f, campaignId, { baseUrl: secretUrl });
      expect(tested.status, tested.text).toBe(200);
      expect(tested.data.items.map((i) => i.error?.code)).toEqual(["server_error", "server_error", "server_error"]);
      expect(tested.data.items[0]!.error!.message).toContain("answered 500");

      expectStatus(
        await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/judge`, {
          method: "PUT",
          token: f.adminToken,
          body: { enabled: true, baseUrl: secretUrl, model: "leaky", maxRetries: 0 },
        }),
        200,
        "judge settings",
      );
      expectStatus(
        await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/routing`, { method: "PUT", token: f.adminToken, body: { mode: "all_judge" } }),
        200,
        "routing",
      );
      let routing: HttpResult<{ judgeJobs: { recentErrors: Array<{ error: string }> } }> | undefined;
      await waitFor(
        async () => {
          routing = await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/routing`, { token: researcherToken });
          return (routing.data?.judgeJobs?.recentErrors?.length ?? 0) > 0;
        },
        60_000,
        "failed judge jobs to show in recentErrors",
        300,
      );
      expect(routing!.data.judgeJobs.recentErrors[0]!.error).toMatch(
        /^server_error: POST http:\/\/REDACTED:REDACTED@127\.0\.0\.1:\d+\/v1\/chat\/completions\?api-key=REDACTED&api-version=2024-02-01 answered 500/,
      );

      const shown: Record<string, HttpResult> = {
        "judge test": tested,
        "GET /campaigns/:id": await http(f.baseUrl, `/api/v1/campaigns/${campaignId}`, { token: researcherToken }),
        "GET /campaigns": await http(f.baseUrl, "/api/v1/campaigns", { token: researcherToken }),
        "GET …/judge": await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/judge`, { token: researcherToken }),
        "GET …/routing": routing!,
        "routing page": await http(f.baseUrl, `/campaigns/${campaignId}/routing`, { cookie: researcherCookie }),
        "campaign page": await http(f.baseUrl, `/campaigns/${campaignId}`, { cookie: researcherCookie }),
      };
      for (const [where, result] of Object.entries(shown)) {
        expect(result.status, where).toBe(200);
        for (const secret of [LEAK, URL_KEY, URL_PASSWORD]) expect(result.text, `${where} shows ${secret}`).not.toContain(secret);
      }
      expect(shown["GET /campaigns/:id"]!.text).toContain("api-key=REDACTED");
      expect(shown["routing page"]!.text).toContain("api-key=REDACTED");
      for (const secret of [LEAK, URL_KEY, URL_PASSWORD]) expect(app.log(), `the log shows ${secret}`).not.toContain(secret);
    });

    it("a judge job that fails for good is logged with its status and redacted URL, never the answer's body", async () => {
      const campaignId = await campaignWithItems(f);
      const secretUrl = `${leaky400.url}/v1?key=${URL_KEY}`;
      expectStatus(
        await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/judge`, {
          method: "PUT",
          token: f.adminToken,
          body: { enabled: true, baseUrl: secretUrl, model: "leaky-400", maxRetries: 0 },
        }),
        200,
        "judge settings",
      );
      expectStatus(
        await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/routing`, { method: "PUT", token: f.adminToken, body: { mode: "all_judge" } }),
        200,
        "routing",
      );
      await waitFor(
        () => /failed after attempt 1: bad_request: POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions\?key=REDACTED answered 400/.test(app.log()),
        60_000,
        "the failed judge job in the log",
        300,
      );
      const routing = await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/routing`, { token: researcherToken });
      expect(routing.text).toContain("answered 400 (bad request)");
      for (const text of [routing.text, app.log()]) {
        expect(text).not.toContain(LEAK);
        expect(text).not.toContain(URL_KEY);
      }
    });
  });
});
