import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { overrideEnvironment } from "@arbiter/config";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import {
  failWith,
  replyWith,
  shownResponses,
  startOpenAITestServer,
  type OpenAITestServer,
  type RecordedRequest,
  type TestServerBehaviour,
} from "@arbiter/judge/testing";
import type { CampaignConfigInput } from "../src/campaign-config/campaign-config.ts";
import { claimJobs } from "../src/jobs/claim-jobs.ts";
import { completeJob } from "../src/jobs/complete-job.ts";
import { enqueueJob } from "../src/jobs/enqueue-job.ts";
import { failJob } from "../src/jobs/fail-job.ts";
import { recoverExpiredJobs } from "../src/jobs/recover-expired-jobs.ts";
import { startJobWorker, type JobWorker } from "../src/jobs/start-job-worker.ts";
import { JobRetryLater, type JobHandler } from "../src/jobs/job-types.ts";
import { campaignJudgeSettings, judgeJudgmentKey } from "../src/llm-judge/campaign-judge-settings.ts";
import { enqueueJudgeJobs } from "../src/llm-judge/enqueue-judge-jobs.ts";
import { createJudgeJobHandler, JUDGE_QUEUE } from "../src/llm-judge/judge-job-handler.ts";
import { recordJudgeJudgment } from "../src/llm-judge/record-judge-judgment.ts";
import { createTestCampaign, createTestUser, makePairwiseItems, uniqueSuffix, type TestCampaign } from "../src/testing/builders.ts";

let admin: User;
let server: OpenAITestServer;
const workers: JobWorker[] = [];

let restoreEnvironment: () => void;
beforeAll(async () => {
  // The test server listens on 127.0.0.1, which the judge may reach only when it is listed.
  restoreEnvironment = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: "127.0.0.1" });
  admin = await createTestUser({ role: "admin" });
  server = await startOpenAITestServer();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 0 })));
  server.setHandler(undefined);
});

afterAll(async () => {
  restoreEnvironment();
  await server.close();
  await disconnectPrisma();
});

/** A judge that prefers the correct answer ("The answer is …", response a of makePairwiseItems) with confidence 0.9. */
function prefersCorrect(request: RecordedRequest): TestServerBehaviour {
  const label = [...shownResponses(request)].find(([, text]) => text.startsWith("The answer is"))?.[0] ?? "A";
  return replyWith(
    { winner: label, confidence: 0.9, rationale: `Response ${label} adds correctly.` },
    { usage: { prompt_tokens: 100, completion_tokens: 20 } },
  );
}

async function judgedCampaign(options: { items?: number; judge?: Partial<NonNullable<CampaignConfigInput["judge"]>> } = {}): Promise<TestCampaign> {
  return createTestCampaign({
    admin,
    taskType: "pairwise",
    items: makePairwiseItems(options.items ?? 1, { prefix: `j-${uniqueSuffix()}` }),
    config: {
      goldRate: 0,
      routing: { mode: "all_judge", humanBudget: 0, calibrationFraction: 0, seed: 1 },
      judge: {
        enabled: true,
        baseUrl: server.baseUrl,
        model: "test-judge",
        maxRetries: 0,
        timeoutMs: 5_000,
        retryBaseDelayMs: 5,
        retryMaxDelayMs: 2_000,
        pricing: { inputPer1kTokens: 0.001, outputPer1kTokens: 0.002 },
        ...options.judge,
      },
    },
  });
}

function settingsOf(campaign: TestCampaign) {
  const settings = campaignJudgeSettings(campaign.view.config);
  if (!settings) throw new Error("judge not enabled");
  return settings;
}

async function enqueueAll(campaign: TestCampaign): Promise<number> {
  return enqueueJudgeJobs(getPrisma(), { campaignId: campaign.id, itemIds: campaign.items.map((i) => i.id), settings: settingsOf(campaign) });
}

function judgeWorker(options: { leaseMs?: number; concurrency?: number } = {}): JobWorker {
  const worker = startJobWorker({
    handlers: [createJudgeJobHandler()],
    concurrency: options.concurrency ?? 4,
    pollMs: 20,
    leaseMs: options.leaseMs ?? 5_000,
    retryDelayMs: () => 30,
    log: () => undefined,
  });
  workers.push(worker);
  return worker;
}

async function campaignJobs(campaignId: string) {
  return getPrisma().job.findMany({ where: { queue: JUDGE_QUEUE, payload: { path: ["campaignId"], equals: campaignId } }, orderBy: { createdAt: "asc" } });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function allJobsFinished(campaignId: string) {
  return waitFor("judge jobs to finish", async () => {
    const jobs = await campaignJobs(campaignId);
    return jobs.length > 0 && jobs.every((j) => j.status === "done" || j.status === "failed") ? jobs : null;
  });
}

async function judgeJudgments(campaignId: string) {
  return getPrisma().judgment.findMany({ where: { campaignId, source: "judge" } });
}

describe("the durable job queue", () => {
  it("enqueues idempotently by dedupe key, also inside a transaction", async () => {
    const key = `test:${uniqueSuffix()}`;
    const first = await enqueueJob(getPrisma(), { queue: "test-idem", payload: { n: 1 }, dedupeKey: key });
    const second = await getPrisma().$transaction((tx) => enqueueJob(tx, { queue: "test-idem", payload: { n: 2 }, dedupeKey: key }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: null, created: false });
    const rows = await getPrisma().job.findMany({ where: { dedupeKey: key } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toEqual({ n: 1 });
  });

  it("never hands one job to two concurrent claimers", async () => {
    const queue = `test-claim-${uniqueSuffix()}`;
    for (let i = 0; i < 12; i++) await enqueueJob(getPrisma(), { queue, payload: { i } });
    const batches = await Promise.all([0, 1, 2, 3].map(() => claimJobs({ queues: [queue], limit: 5, leaseMs: 10_000 })));
    const ids = batches.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(12);
    expect(batches.flat().every((j) => j.attempts === 1)).toBe(true);
  });

  it("backs off after a retryable failure and fails for good after the last attempt", async () => {
    const queue = `test-fail-${uniqueSuffix()}`;
    await enqueueJob(getPrisma(), { queue, payload: {}, maxAttempts: 2 });
    const [first] = await claimJobs({ queues: [queue], limit: 1, leaseMs: 10_000 });
    expect(await failJob({ job: first!, error: "boom", retryable: true, delayMs: 60_000 })).toBe("queued");
    const waiting = await getPrisma().job.findUniqueOrThrow({ where: { id: first!.id } });
    expect(waiting.runAt.getTime() - Date.now()).toBeGreaterThan(55_000);
    expect(await claimJobs({ queues: [queue], limit: 1, leaseMs: 10_000 })).toEqual([]);
    await getPrisma().job.update({ where: { id: first!.id }, data: { runAt: new Date(Date.now() - 1000) } });
    const [second] = await claimJobs({ queues: [queue], limit: 1, leaseMs: 10_000 });
    expect(second?.attempts).toBe(2);
    expect(await failJob({ job: second!, error: "boom again", retryable: true })).toBe("failed");
    const failed = await getPrisma().job.findUniqueOrThrow({ where: { id: first!.id } });
    expect(failed).toMatchObject({ status: "failed", lastError: "boom again", attempts: 2 });
    expect(failed.finishedAt).not.toBeNull();
    // A stale token (attempt 1) can no longer touch the job.
    expect(await failJob({ job: first!, error: "late", retryable: true })).toBeNull();
  });

  it("recovers expired leases: back to the queue, or failed when out of attempts", async () => {
    const queue = `test-recover-${uniqueSuffix()}`;
    const { id: retryId } = await enqueueJob(getPrisma(), { queue, payload: {}, maxAttempts: 3 });
    const { id: lastId } = await enqueueJob(getPrisma(), { queue, payload: {}, maxAttempts: 1 });
    const claimed = await claimJobs({ queues: [queue], limit: 2, leaseMs: 10_000 });
    expect(claimed).toHaveLength(2);
    await getPrisma().job.updateMany({ where: { id: { in: [retryId!, lastId!] } }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    await recoverExpiredJobs();
    const retry = await getPrisma().job.findUniqueOrThrow({ where: { id: retryId! } });
    const last = await getPrisma().job.findUniqueOrThrow({ where: { id: lastId! } });
    expect(retry.status).toBe("queued");
    expect(retry.lastError).toMatch(/lease of attempt 1 expired/);
    expect(last.status).toBe("failed");
  });

  it("coalesces triggers with a key released on claim, without losing one that arrives mid-run", async () => {
    const queue = `test-coalesce-${uniqueSuffix()}`;
    const key = `coalesce:${uniqueSuffix()}`;
    const trigger = () => enqueueJob(getPrisma(), { queue, payload: {}, dedupeKey: key, releaseKeyOnClaim: true });
    expect((await trigger()).created).toBe(true);
    expect((await trigger()).created).toBe(false);
    const [running] = await claimJobs({ queues: [queue], limit: 1, leaseMs: 10_000 });
    expect(running).toBeDefined();
    expect((await trigger()).created).toBe(true);
    expect((await trigger()).created).toBe(false);
    expect(await getPrisma().job.count({ where: { queue } })).toBe(2);
  });

  it("stops gracefully: waits for a running job, hands back one that outlives the grace period", async () => {
    const queue = `test-stop-${uniqueSuffix()}`;
    let release: () => void = () => undefined;
    const slow: JobHandler = {
      queue,
      run: (job, { signal }) =>
        new Promise((resolve, reject) => {
          const done = () => resolve({ result: { finished: job.id } });
          if ((job.payload as { wait?: boolean }).wait) release = done;
          else setTimeout(done, 150);
          signal.addEventListener("abort", () => reject(new JobRetryLater("aborted")), { once: true });
        }),
    };
    const { id: quick } = await enqueueJob(getPrisma(), { queue, payload: { wait: false } });
    const worker = startJobWorker({ handlers: [slow], concurrency: 1, pollMs: 20, leaseMs: 5_000, log: () => undefined });
    await waitFor("the quick job to start", async () => (await getPrisma().job.findUniqueOrThrow({ where: { id: quick! } })).status === "running");
    await worker.stop({ graceMs: 5_000 });
    expect((await getPrisma().job.findUniqueOrThrow({ where: { id: quick! } })).status).toBe("done");

    const { id: stuck } = await enqueueJob(getPrisma(), { queue, payload: { wait: true } });
    const second = startJobWorker({ handlers: [slow], concurrency: 1, pollMs: 20, leaseMs: 5_000, log: () => undefined });
    await waitFor("the stuck job to start", async () => (await getPrisma().job.findUniqueOrThrow({ where: { id: stuck! } })).status === "running");
    await second.stop({ graceMs: 50 });
    release();
    const handedBack = await getPrisma().job.findUniqueOrThrow({ where: { id: stuck! } });
    expect(handedBack).toMatchObject({ status: "queued", lockedUntil: null });
    expect(handedBack.lastError).toMatch(/stopped/);
  });
});

describe("judge jobs against a local OpenAI-compatible server", () => {
  it("a good reply becomes one judge judgment per item with model, prompt version, confidence, order-consistency, tokens and cost", async () => {
    const campaign = await judgedCampaign({ items: 3 });
    server.setHandler(prefersCorrect);
    const before = server.requests.length;
    expect(await enqueueAll(campaign)).toBe(3);
    expect(await enqueueAll(campaign)).toBe(0);
    judgeWorker();
    const jobs = await allJobsFinished(campaign.id);
    expect(jobs.map((j) => j.status)).toEqual(["done", "done", "done"]);
    expect(server.requests.length - before).toBe(6);

    const settings = settingsOf(campaign);
    const judgments = await judgeJudgments(campaign.id);
    expect(judgments).toHaveLength(3);
    for (const item of campaign.items) {
      const judgment = judgments.find((j) => j.itemId === item.id);
      const correct = item.responses.find((r) => r.externalId === "a");
      expect(judgment).toMatchObject({
        source: "judge",
        userId: null,
        judgeModel: "test-judge",
        promptVersion: settings.promptVersion,
        verdict: "winner",
        winnerId: correct?.id,
        confidence: 0.9,
        dedupeKey: judgeJudgmentKey(item.id, settings),
      });
      expect(judgment?.rationale).toMatch(/adds correctly/);
      const meta = judgment?.meta as {
        orderConsistent: boolean;
        usage: { totalTokens: number; requests: number };
        cost: number;
        calls: unknown[];
        latencyMs: number;
      };
      expect(meta.orderConsistent).toBe(true);
      expect(meta.usage).toMatchObject({ promptTokens: 200, completionTokens: 40, totalTokens: 240, requests: 2 });
      expect(meta.cost).toBeCloseTo(0.2 * 0.001 + 0.04 * 0.002, 10);
      expect(meta.calls).toHaveLength(2);
      expect(judgment?.presentedOrder).toHaveLength(2);
    }
    const items = await getPrisma().item.findMany({ where: { campaignId: campaign.id } });
    expect(items.map((i) => i.judgeCount)).toEqual([1, 1, 1]);
  });

  it("malformed JSON twice fails the job for good and writes nothing", async () => {
    const campaign = await judgedCampaign();
    server.setHandler(() => replyWith("I prefer the first one, clearly."));
    await enqueueAll(campaign);
    judgeWorker();
    const [job] = await allJobsFinished(campaign.id);
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job?.lastError).toMatch(/^invalid_reply: /);
    expect(await judgeJudgments(campaign.id)).toHaveLength(0);
    expect((await getPrisma().item.findFirstOrThrow({ where: { campaignId: campaign.id } })).judgeCount).toBe(0);
  });

  it("a timeout is retried as a new attempt of the durable job", async () => {
    const campaign = await judgedCampaign({ judge: { timeoutMs: 400 } });
    server.enqueue({ type: "hang" }, { type: "hang" });
    server.setHandler(prefersCorrect);
    await enqueueAll(campaign);
    judgeWorker();
    const [job] = await allJobsFinished(campaign.id);
    expect(job).toMatchObject({ status: "done", attempts: 2, lastError: null });
    expect(await judgeJudgments(campaign.id)).toHaveLength(1);
  });

  it("a 429 with a short retry-after is waited out; a long one reschedules the job for that time", async () => {
    const short = await judgedCampaign({ judge: { maxRetries: 2 } });
    server.enqueue(failWith(429, { headers: { "retry-after": "1" } }), failWith(429, { headers: { "retry-after": "1" } }));
    server.setHandler(prefersCorrect);
    const first = server.requests.length;
    await enqueueAll(short);
    judgeWorker();
    const [done] = await allJobsFinished(short.id);
    expect(done).toMatchObject({ status: "done", attempts: 1 });
    const requests = server.requests.slice(first);
    const retried = requests.slice(2);
    expect(retried.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...retried.map((r) => r.receivedAt)) - Math.max(...requests.slice(0, 2).map((r) => r.respondedAt ?? r.receivedAt))).toBeGreaterThanOrEqual(
      900,
    );

    const long = await judgedCampaign({ judge: { maxRetries: 2 } });
    server.setHandler(() => failWith(429, { headers: { "retry-after": "30" } }));
    await enqueueAll(long);
    judgeWorker();
    const job = await waitFor("the rate-limited job to be rescheduled", async () => {
      const [row] = await campaignJobs(long.id);
      return row?.status === "queued" && row.attempts === 1 ? row : null;
    });
    expect(job.lastError).toMatch(/^rate_limited: /);
    expect(job.runAt.getTime() - Date.now()).toBeGreaterThan(25_000);
    expect(job.runAt.getTime() - Date.now()).toBeLessThan(31_000);
    server.setHandler(prefersCorrect);
    await getPrisma().job.update({ where: { id: job.id }, data: { runAt: new Date() } });
    const [finished] = await allJobsFinished(long.id);
    expect(finished).toMatchObject({ status: "done", attempts: 2 });
    expect(await judgeJudgments(long.id)).toHaveLength(1);
  });

  it("a 500 is retried with backoff and then succeeds", async () => {
    const campaign = await judgedCampaign();
    let calls = 0;
    server.setHandler((request) => (calls++ < 2 ? failWith(500) : prefersCorrect(request)));
    await enqueueAll(campaign);
    judgeWorker();
    const [job] = await allJobsFinished(campaign.id);
    expect(job).toMatchObject({ status: "done", attempts: 2 });
    expect(await judgeJudgments(campaign.id)).toHaveLength(1);
  });

  it("a missing API key fails the job with a clear message and never calls the server", async () => {
    const campaign = await judgedCampaign({ judge: { apiKeyRef: { secret: "nowhere" } } });
    const before = server.requests.length;
    await enqueueAll(campaign);
    judgeWorker();
    const [job] = await allJobsFinished(campaign.id);
    expect(job?.status).toBe("failed");
    expect(job?.lastError).toMatch(/campaign secret "nowhere" is not set/);
    expect(server.requests.length).toBe(before);
  });
});

describe("judge jobs survive a worker crash", () => {
  it("a worker that dies mid-call loses nothing: the lease expires, another worker finishes, one judgment exists", async () => {
    const campaign = await judgedCampaign();
    server.setHandler((request) => ({ ...prefersCorrect(request), delayMs: 400 }) as TestServerBehaviour);
    await enqueueAll(campaign);
    const crashing = judgeWorker({ leaseMs: 600 });
    await waitFor("the first worker to claim the job", async () => (await campaignJobs(campaign.id))[0]?.status === "running");
    await crashing.stop({ abandon: true });
    const [abandoned] = await campaignJobs(campaign.id);
    expect(abandoned).toMatchObject({ status: "running", attempts: 1 });
    expect(await judgeJudgments(campaign.id)).toHaveLength(0);

    judgeWorker({ leaseMs: 5_000 });
    const [job] = await allJobsFinished(campaign.id);
    expect(job).toMatchObject({ status: "done", attempts: 2 });
    expect(job?.lastError).toBeNull();
    expect(await judgeJudgments(campaign.id)).toHaveLength(1);
    expect((await getPrisma().item.findFirstOrThrow({ where: { campaignId: campaign.id } })).judgeCount).toBe(1);
  });

  it("a stalled worker that finishes after its lease was taken over writes nothing (fenced by attempt), and the unique key would stop it anyway", async () => {
    const campaign = await judgedCampaign();
    server.setHandler(prefersCorrect);
    await enqueueAll(campaign);
    const handler = createJudgeJobHandler();
    const signal = new AbortController().signal;
    const [stale] = await claimJobs({ queues: [JUDGE_QUEUE], limit: 50, leaseMs: 60_000 }).then((jobs) =>
      jobs.filter((j) => (j.payload as { campaignId: string }).campaignId === campaign.id),
    );
    // Other tests' leftovers claimed above are handed back untouched.
    await getPrisma().job.updateMany({
      where: { queue: JUDGE_QUEUE, status: "running", NOT: { payload: { path: ["campaignId"], equals: campaign.id } } },
      data: { status: "queued", lockedUntil: null },
    });
    expect(stale).toBeDefined();
    const staleOutcome = await handler.run(stale!, { signal });

    await getPrisma().job.update({ where: { id: stale!.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    await recoverExpiredJobs();
    const [fresh] = await claimJobs({ queues: [JUDGE_QUEUE], limit: 1, leaseMs: 60_000 });
    expect(fresh).toMatchObject({ id: stale!.id, attempts: 2 });
    expect(await completeJob({ job: fresh!, outcome: await handler.run(fresh!, { signal }) })).toBe(true);
    expect(await completeJob({ job: stale!, outcome: staleOutcome })).toBe(false);
    expect(await judgeJudgments(campaign.id)).toHaveLength(1);

    // Even unfenced, a second write of the same judgment is a no-op.
    const settings = settingsOf(campaign);
    const item = campaign.items[0]!;
    const judgment = (await judgeJudgments(campaign.id))[0]!;
    const replayed = await getPrisma().$transaction((tx) =>
      recordJudgeJudgment(tx, {
        campaignId: campaign.id,
        itemId: item.id,
        dedupeKey: judgeJudgmentKey(item.id, settings),
        latencyMs: 1,
        result: {
          kind: "pairwise",
          model: "test-judge",
          promptVersion: settings.promptVersion,
          verdict: { winner: "tie" },
          ranking: [],
          confidence: 0,
          orderConsistent: false,
          rationale: "",
          rationaleLabels: {},
          attributes: {},
          calls: [],
          usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, requests: 0 },
          cost: null,
          currency: null,
        },
      }),
    );
    expect(replayed).toBe(false);
    expect(await judgeJudgments(campaign.id)).toEqual([judgment]);
    expect((await getPrisma().item.findUniqueOrThrow({ where: { id: item.id } })).judgeCount).toBe(1);
  });
});
