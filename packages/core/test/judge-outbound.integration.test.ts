import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { overrideEnvironment } from "@arbiter/config";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { replyWith, startOpenAITestServer, type OpenAITestServer } from "@arbiter/judge/testing";
import { createCampaign } from "../src/campaigns/create-campaign.ts";
import { getCampaign } from "../src/campaigns/get-campaign.ts";
import { listCampaigns } from "../src/campaigns/list-campaigns.ts";
import { updateCampaign } from "../src/campaigns/update-campaign.ts";
import { startJobWorker, type JobWorker } from "../src/jobs/start-job-worker.ts";
import { campaignJudgeSettings } from "../src/llm-judge/campaign-judge-settings.ts";
import { enqueueJudgeJobs } from "../src/llm-judge/enqueue-judge-jobs.ts";
import { getJudgeSettings } from "../src/llm-judge/get-judge-settings.ts";
import { createJudgeJobHandler, JUDGE_QUEUE } from "../src/llm-judge/judge-job-handler.ts";
import { tryCampaignJudge } from "../src/llm-judge/try-campaign-judge.ts";
import { updateJudgeSettings } from "../src/llm-judge/update-judge-settings.ts";
import { getRoutingDashboard } from "../src/routing/get-routing-dashboard.ts";
import { listCampaignSecrets } from "../src/secrets/list-campaign-secrets.ts";
import { putCampaignSecret } from "../src/secrets/put-campaign-secret.ts";
import { actorFor, createTestCampaign, createTestUser, makePairwiseItems, uniqueSuffix, type TestCampaign } from "../src/testing/builders.ts";

/**
 * Issue 13, findings 2–4, against core directly with real HTTP servers on 127.0.0.1: the judge's
 * host rules (ARBITER_ALLOWED_HOSTS), no redirects, error answers never quoted, secrets bound to
 * the origin they were stored for, environment keys only from ARBITER_JUDGE_KEY_ENV_ALLOWLIST,
 * and base URLs redacted wherever they are shown.
 */

const SECRET_BODY = "upstream says: DATABASE_URL=postgres://root:Internal-Pa55-7f3e@10.0.0.7/prod";

let admin: User;
let researcher: User;
let judgeA: OpenAITestServer;
let judgeB: OpenAITestServer;
let restoreEnvironment: (() => void) | undefined;
const extraServers: Server[] = [];
const workers: JobWorker[] = [];

function allowHosts(list: string | undefined, extra: Record<string, string | undefined> = {}): void {
  restoreEnvironment?.();
  restoreEnvironment = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: list, ARBITER_JUDGE_KEY_ENV_ALLOWLIST: undefined, ...extra });
}

const originOf = (url: string) => new URL(url).origin;
const hostOf = (url: string) => new URL(url).host;

beforeAll(async () => {
  allowHosts("127.0.0.1");
  admin = await createTestUser({ role: "admin" });
  researcher = await createTestUser({ role: "researcher" });
  judgeA = await startOpenAITestServer({ handler: () => replyWith({ winner: "A", confidence: 0.8, rationale: "A is right" }) });
  judgeB = await startOpenAITestServer({ handler: () => replyWith({ winner: "B", confidence: 0.8, rationale: "B is right" }) });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 2_000 })));
  allowHosts("127.0.0.1");
});

afterAll(async () => {
  restoreEnvironment?.();
  await Promise.all([judgeA.close(), judgeB.close(), ...extraServers.map((s) => new Promise<void>((r) => s.close(() => r())))]);
  await disconnectPrisma();
});

/** A plain HTTP server on 127.0.0.1 that answers every request the same way, counting requests. */
async function startServer(answer: { status: number; headers?: Record<string, string>; body: string }): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  server.unref();
  extraServers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

async function campaign(judge?: Record<string, unknown>): Promise<TestCampaign> {
  return createTestCampaign({
    admin,
    taskType: "pairwise",
    config: { goldRate: 0, ...(judge ? { judge } : {}) },
    items: makePairwiseItems(2, { prefix: `o-${uniqueSuffix()}` }),
  });
}

const actor = () => actorFor(admin);

describe("judge hosts (ARBITER_ALLOWED_HOSTS)", () => {
  it("without an allow-list, a loopback judge is refused everywhere it can be set, and nothing is sent", async () => {
    allowHosts(undefined);
    const c = await campaign();
    const before = judgeA.requests.length;
    const settings = { enabled: true, baseUrl: judgeA.baseUrl, model: "m" };
    for (const attempt of [
      () => tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings } }),
      () => updateJudgeSettings({ actor: actor(), campaignId: c.id, input: settings }),
      () => updateCampaign({ actor: actor(), campaignId: c.id, input: { config: { judge: settings } } }),
      () => createCampaign({ actor: actor(), input: { name: "x", taskType: "pairwise", config: { judge: settings } } }),
      () => tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings: { ...settings, baseUrl: "http://169.254.169.254/latest" } } }),
      () =>
        tryCampaignJudge({
          actor: actor(),
          campaignId: c.id,
          input: { settings: { ...settings, baseUrl: `http://localhost:${new URL(judgeA.baseUrl).port}/v1` } },
        }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({
        code: "unprocessable",
        message: expect.stringMatching(/base URL is refused: .* (loopback|link-local) address|local host name/),
        details: [{ path: "baseUrl", reason: "address_not_allowed" }],
      });
    }
    expect(judgeA.requests.length).toBe(before);
    expect((await getCampaign({ actor: actor(), campaignId: c.id })).config.judge).toBeUndefined();
  });

  it("with an allow-list, only listed hosts (and ports) are reached", async () => {
    allowHosts(`api.example.com,${hostOf(judgeA.baseUrl)}`);
    const c = await campaign();
    const tried = await tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings: { enabled: true, baseUrl: judgeA.baseUrl, model: "m" } } });
    expect(tried.totals.succeeded).toBe(2);
    const before = judgeB.requests.length;
    await expect(
      tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings: { enabled: true, baseUrl: judgeB.baseUrl, model: "m" } } }),
    ).rejects.toMatchObject({
      code: "unprocessable",
      details: [{ reason: "host_not_allowed" }],
      message: expect.stringContaining(`${hostOf(judgeB.baseUrl)} is not in ARBITER_ALLOWED_HOSTS`),
    });
    await expect(
      updateJudgeSettings({ actor: actor(), campaignId: c.id, input: { enabled: true, baseUrl: "https://api.openai.com/v1", model: "m" } }),
    ).rejects.toMatchObject({ details: [{ reason: "host_not_allowed" }] });
    expect(judgeB.requests.length).toBe(before);
  });

  it("a judge job whose host became refused fails for good with host_refused, sending nothing", async () => {
    const c = await campaign({ enabled: true, baseUrl: judgeA.baseUrl, model: `gone-${uniqueSuffix()}`, maxRetries: 0 });
    allowHosts("api.example.com");
    const before = judgeA.requests.length;
    const settings = campaignJudgeSettings(c.view.config)!;
    await enqueueJudgeJobs(getPrisma(), { campaignId: c.id, itemIds: c.items.map((i) => i.id), settings });
    const jobs = await runJudgeJobs(c.id);
    expect(jobs.map((j) => j.status)).toEqual(["failed", "failed"]);
    expect(jobs[0]!.lastError).toMatch(/^host_refused: 127\.0\.0\.1:\d+ is not in ARBITER_ALLOWED_HOSTS \(api\.example\.com\)$/);
    expect(judgeA.requests.length).toBe(before);
  });
});

describe("no redirects, no quoted answers", () => {
  it("a judge test against a redirect (302 and 307) reaches nothing behind it", async () => {
    const internal = await startServer({ status: 200, body: "internal metadata" });
    const c = await campaign();
    for (const status of [302, 307]) {
      const redirector = await startServer({ status, headers: { location: `${internal.url}/latest/meta-data/` }, body: "" });
      const result = await tryCampaignJudge({
        actor: actor(),
        campaignId: c.id,
        input: { settings: { enabled: true, baseUrl: `${redirector.url}/v1`, model: "m", maxRetries: 3 } },
      });
      expect(result.items.map((i) => i.error?.code)).toEqual(["redirect", "redirect"]);
      expect(result.items[0]!.error!.message).toBe(`POST ${redirector.url}/v1/chat/completions answered ${status} (a redirect); redirects are not followed`);
      // Each call tried once (a refused redirect is not retried); siblings may be cancelled first.
      expect(redirector.hits()).toBeGreaterThan(0);
      expect(redirector.hits()).toBeLessThanOrEqual(4);
    }
    expect(internal.hits()).toBe(0);
  });

  it("a 500 whose body holds a secret: neither the test answer, the job's error, recentErrors nor the worker log quote it", async () => {
    const leaky = await startServer({
      status: 500,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ error: { message: SECRET_BODY } }),
    });
    const c = await campaign({ enabled: true, baseUrl: `${leaky.url}/v1`, model: `leaky-${uniqueSuffix()}`, maxRetries: 0, timeoutMs: 2_000 });
    const tried = await tryCampaignJudge({ actor: actor(), campaignId: c.id, input: {} });
    expect(tried.items.map((i) => i.error?.code)).toEqual(["server_error", "server_error"]);
    expect(JSON.stringify(tried)).not.toContain("Internal-Pa55");

    const settings = campaignJudgeSettings(c.view.config)!;
    await enqueueJudgeJobs(getPrisma(), { campaignId: c.id, itemIds: c.items.map((i) => i.id), settings });
    const logged: string[] = [];
    await getPrisma().job.updateMany({ where: { queue: JUDGE_QUEUE, payload: { path: ["campaignId"], equals: c.id } }, data: { maxAttempts: 1 } });
    const jobs = await runJudgeJobs(c.id, (level, message, error) =>
      logged.push(`${level} ${message} ${error instanceof Error ? `${error.message} ${String(error.cause)}` : String(error ?? "")}`),
    );
    expect(jobs.every((j) => j.status === "failed")).toBe(true);
    expect(jobs[0]!.lastError).toBe(`server_error: POST ${leaky.url}/v1/chat/completions answered 500 (server error) (after 1 attempts)`);
    const dashboard = await getRoutingDashboard({ actor: actorFor(researcher), campaignId: c.id });
    expect(dashboard.judgeJobs.recentErrors.length).toBeGreaterThan(0);
    expect(logged.length).toBeGreaterThan(0);
    for (const shown of [JSON.stringify(dashboard), JSON.stringify(jobs), logged.join("\n")]) expect(shown).not.toContain("Internal-Pa55");
  });
});

describe("stored secrets are bound to an origin", () => {
  it("a secret saved for judge A is never sent to judge B, until it is stored again for B", async () => {
    const c = await campaign();
    const key = `sk-a-${uniqueSuffix()}`;
    await updateJudgeSettings({
      actor: actor(),
      campaignId: c.id,
      input: { enabled: false, baseUrl: judgeA.baseUrl, model: "m", apiKeyRef: { secret: "judgekey" } },
    });
    const stored = await putCampaignSecret({ actor: actor(), campaignId: c.id, name: "judgekey", input: { value: key } });
    expect(stored.origin).toBe(originOf(judgeA.baseUrl));

    const beforeB = judgeB.requests.length;
    const toB = { enabled: true, baseUrl: judgeB.baseUrl, model: "m", apiKeyRef: { secret: "judgekey" } };
    await expect(tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings: toB } })).rejects.toMatchObject({
      code: "conflict",
      details: [{ path: "apiKeyRef", reason: "secret_origin_mismatch" }],
      message: expect.stringContaining(`was stored for ${originOf(judgeA.baseUrl)}`),
    });
    await expect(updateJudgeSettings({ actor: actor(), campaignId: c.id, input: toB })).rejects.toMatchObject({
      code: "conflict",
      details: [{ reason: "secret_origin_mismatch" }],
    });
    await expect(updateCampaign({ actor: actor(), campaignId: c.id, input: { config: { judge: toB } } })).rejects.toMatchObject({ code: "conflict" });
    expect(judgeB.requests.length).toBe(beforeB);

    // Its own origin works, with the key as a bearer token.
    const beforeA = judgeA.requests.length;
    await tryCampaignJudge({ actor: actor(), campaignId: c.id, input: {} });
    expect(judgeA.requests.slice(beforeA).every((r) => r.headers.authorization === `Bearer ${key}`)).toBe(true);

    // Re-entered for B, it goes to B (and no longer to A).
    const keyB = `sk-b-${uniqueSuffix()}`;
    await putCampaignSecret({ actor: actor(), campaignId: c.id, name: "judgekey", input: { value: keyB, origin: `${judgeB.baseUrl}/anything` } });
    expect((await listCampaignSecrets({ actor: actorFor(researcher), campaignId: c.id }))[0]).toMatchObject({
      name: "judgekey",
      origin: originOf(judgeB.baseUrl),
    });
    await tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings: toB } });
    expect(judgeB.requests.slice(beforeB).every((r) => r.headers.authorization === `Bearer ${keyB}`)).toBe(true);
    await expect(tryCampaignJudge({ actor: actor(), campaignId: c.id, input: {} })).rejects.toMatchObject({ code: "conflict" });
  });

  it("a secret stored before any judge URL is bound by its first use, and by the saved settings before a test elsewhere", async () => {
    const first = await campaign();
    await putCampaignSecret({ actor: actor(), campaignId: first.id, name: "k", input: { value: `sk-${uniqueSuffix()}` } });
    expect((await listCampaignSecrets({ actor: actor(), campaignId: first.id }))[0]?.origin).toBeNull();
    await tryCampaignJudge({
      actor: actor(),
      campaignId: first.id,
      input: { settings: { enabled: true, baseUrl: judgeA.baseUrl, model: "m", apiKeyRef: { secret: "k" } } },
    });
    expect((await listCampaignSecrets({ actor: actor(), campaignId: first.id }))[0]?.origin).toBe(originOf(judgeA.baseUrl));

    // Saved settings name an unbound secret (stored before this rule): a test elsewhere may not claim it.
    const second = await campaign({ enabled: false, baseUrl: judgeA.baseUrl, model: "m", apiKeyRef: { secret: "legacy" } });
    await putCampaignSecret({ actor: actor(), campaignId: second.id, name: "legacy", input: { value: "sk-legacy" } });
    await getPrisma().secret.updateMany({ where: { campaignId: second.id, name: "legacy" }, data: { origin: null } });
    const beforeB = judgeB.requests.length;
    await expect(
      tryCampaignJudge({
        actor: actor(),
        campaignId: second.id,
        input: { settings: { enabled: true, baseUrl: judgeB.baseUrl, model: "m", apiKeyRef: { secret: "legacy" } } },
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(judgeB.requests.length).toBe(beforeB);
    expect((await listCampaignSecrets({ actor: actor(), campaignId: second.id }))[0]?.origin).toBe(originOf(judgeA.baseUrl));
  });

  it("a judge job whose secret is bound elsewhere fails with secret_origin_mismatch", async () => {
    const c = await campaign({ enabled: true, baseUrl: judgeA.baseUrl, model: `bound-${uniqueSuffix()}`, apiKeyRef: { secret: "s" }, maxRetries: 0 });
    await putCampaignSecret({ actor: actor(), campaignId: c.id, name: "s", input: { value: "sk-s", origin: judgeB.baseUrl } });
    const before = judgeA.requests.length;
    await enqueueJudgeJobs(getPrisma(), { campaignId: c.id, itemIds: c.items.map((i) => i.id), settings: campaignJudgeSettings(c.view.config)! });
    const jobs = await runJudgeJobs(c.id);
    expect(jobs.every((j) => j.status === "failed" && j.lastError?.startsWith("secret_origin_mismatch: "))).toBe(true);
    expect(judgeA.requests.length).toBe(before);
  });
});

describe("environment-variable keys only from ARBITER_JUDGE_KEY_ENV_ALLOWLIST", () => {
  it("refuses any other variable (422) and sends a listed one", async () => {
    const c = await campaign();
    const settings = (env: string) => ({ enabled: true, baseUrl: judgeA.baseUrl, model: "m", apiKeyRef: { env } });
    allowHosts("127.0.0.1", { JUDGE_OUTBOUND_TEST_KEY: "sk-from-env", ARBITER_JUDGE_KEY_ENV_ALLOWLIST: undefined });
    const before = judgeA.requests.length;
    for (const name of ["PATH", "HOME", "JUDGE_OUTBOUND_TEST_KEY", "DATABASE_URL"]) {
      await expect(tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings: settings(name) } })).rejects.toMatchObject({
        code: "unprocessable",
        details: [{ path: "apiKeyRef", reason: "key_env_not_allowed" }],
      });
      await expect(updateJudgeSettings({ actor: actor(), campaignId: c.id, input: settings(name) })).rejects.toMatchObject({
        code: "unprocessable",
        details: [{ reason: "key_env_not_allowed" }],
      });
    }
    expect(judgeA.requests.length).toBe(before);

    allowHosts("127.0.0.1", { JUDGE_OUTBOUND_TEST_KEY: "sk-from-env", ARBITER_JUDGE_KEY_ENV_ALLOWLIST: "OTHER_KEY, JUDGE_OUTBOUND_TEST_KEY" });
    await updateJudgeSettings({ actor: actor(), campaignId: c.id, input: settings("JUDGE_OUTBOUND_TEST_KEY") });
    await tryCampaignJudge({ actor: actor(), campaignId: c.id, input: {} });
    expect(judgeA.requests.slice(before).every((r) => r.headers.authorization === "Bearer sk-from-env")).toBe(true);
    await expect(tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings: settings("PATH") } })).rejects.toMatchObject({
      details: [{ reason: "key_env_not_allowed" }],
    });
  });
});

describe("credentials in the judge's URL are redacted wherever it is shown", () => {
  it("GET campaign, the campaign list, the judge settings, the routing dashboard, recentErrors and the judge test", async () => {
    const failing = await startServer({ status: 503, body: "busy" });
    const secretUrl = `${failing.url.replace("http://", "http://bob:Pa55word-x1@")}/v1?api-key=Key-0a9b8c&api-version=2024-02-01`;
    const c = await campaign({ enabled: true, baseUrl: secretUrl, model: `redact-${uniqueSuffix()}`, maxRetries: 0 });
    await enqueueJudgeJobs(getPrisma(), { campaignId: c.id, itemIds: c.items.map((i) => i.id), settings: campaignJudgeSettings(c.view.config)! });
    await getPrisma().job.updateMany({ where: { queue: JUDGE_QUEUE, payload: { path: ["campaignId"], equals: c.id } }, data: { maxAttempts: 1 } });
    const logged: string[] = [];
    await runJudgeJobs(c.id, (level, message) => logged.push(`${level} ${message}`));

    const shown = {
      campaign: await getCampaign({ actor: actorFor(researcher), campaignId: c.id }),
      list: (await listCampaigns({ actor: actorFor(researcher) })).filter((v) => v.id === c.id),
      judge: await getJudgeSettings({ actor: actorFor(researcher), campaignId: c.id }),
      routing: await getRoutingDashboard({ actor: actorFor(researcher), campaignId: c.id }),
      test: await tryCampaignJudge({ actor: actor(), campaignId: c.id, input: {} }),
      log: logged,
    };
    expect(shown.list).toHaveLength(1);
    expect(shown.routing.judgeJobs.recentErrors.length).toBeGreaterThan(0);
    expect(shown.campaign.config.judge?.baseUrl).toBe(
      `${failing.url.replace("http://", "http://REDACTED:REDACTED@")}/v1?api-key=REDACTED&api-version=2024-02-01`,
    );
    for (const [where, value] of Object.entries(shown)) {
      const text = JSON.stringify(value);
      expect(text, where).not.toContain("Key-0a9b8c");
      expect(text, where).not.toContain("Pa55word");
    }
    // The credentials still reach the endpoint (they are part of the URL it asked for).
    expect(
      await getPrisma()
        .campaign.findUniqueOrThrow({ where: { id: c.id } })
        .then((row) => JSON.stringify(row.config)),
    ).toContain("Key-0a9b8c");
  });

  it("a redacted URL sent back unchanged keeps the stored credentials; a new one replaces them", async () => {
    const secretUrl = `${judgeA.baseUrl}?api-key=Key-keep-1`;
    const c = await campaign({ enabled: true, baseUrl: secretUrl, model: "m" });
    const view = await getJudgeSettings({ actor: actor(), campaignId: c.id });
    expect(view.settings?.baseUrl).toBe(`${judgeA.baseUrl}?api-key=REDACTED`);
    await updateJudgeSettings({ actor: actor(), campaignId: c.id, input: { enabled: true, baseUrl: view.settings!.baseUrl, model: "m2" } });
    const before = judgeA.requests.length;
    await tryCampaignJudge({ actor: actor(), campaignId: c.id, input: { settings: { enabled: true, baseUrl: view.settings!.baseUrl, model: "m2" } } });
    expect(judgeA.requests.length).toBeGreaterThan(before);
    const stored = async () => ((await getPrisma().campaign.findUniqueOrThrow({ where: { id: c.id } })).config as { judge: { baseUrl: string } }).judge.baseUrl;
    expect(await stored()).toBe(secretUrl);
    await updateCampaign({ actor: actor(), campaignId: c.id, input: { config: { judge: { enabled: true, baseUrl: view.settings!.baseUrl, model: "m3" } } } });
    expect(await stored()).toBe(secretUrl);
    await updateJudgeSettings({ actor: actor(), campaignId: c.id, input: { enabled: true, baseUrl: `${judgeA.baseUrl}?api-key=Key-new-2`, model: "m2" } });
    expect(await stored()).toBe(`${judgeA.baseUrl}?api-key=Key-new-2`);
  });
});

async function runJudgeJobs(campaignId: string, log: (level: "info" | "warn" | "error", message: string, error?: unknown) => void = () => undefined) {
  const worker = startJobWorker({ handlers: [createJudgeJobHandler()], concurrency: 4, pollMs: 20, leaseMs: 5_000, retryDelayMs: () => 30, log });
  workers.push(worker);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const jobs = await getPrisma().job.findMany({
      where: { queue: JUDGE_QUEUE, payload: { path: ["campaignId"], equals: campaignId } },
      orderBy: { createdAt: "asc" },
    });
    if (jobs.length > 0 && jobs.every((j) => j.status === "done" || j.status === "failed")) return jobs;
    if (Date.now() > deadline) throw new Error(`judge jobs did not finish: ${JSON.stringify(jobs.map((j) => [j.status, j.lastError]))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
