import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { overrideEnvironment } from "@arbiter/config";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import {
  replyWith,
  shownResponses,
  startOpenAITestServer,
  type OpenAITestServer,
  type RecordedRequest,
  type TestServerBehaviour,
} from "@arbiter/judge/testing";
import { resolveBudget } from "@arbiter/router";
import { AppError } from "../src/errors.ts";
import type { CampaignConfigInput, RoutingConfig } from "../src/campaign-config/campaign-config.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { startJobWorker, type JobWorker } from "../src/jobs/start-job-worker.ts";
import { createJudgeJobHandler, JUDGE_QUEUE } from "../src/llm-judge/judge-job-handler.ts";
import { ROUTING_QUEUE } from "../src/routing/enqueue-routing-pass.ts";
import { createRoutingJobHandler } from "../src/routing/routing-job-handler.ts";
import { runRoutingPass } from "../src/routing/run-routing-pass.ts";
import { createRoutingSweepMemo, sweepRoutingCampaigns } from "../src/routing/sweep-routing.ts";
import { getRoutingDashboard } from "../src/routing/get-routing-dashboard.ts";
import { updateRoutingSettings } from "../src/routing/update-routing-settings.ts";
import { announceRaces, raceIt } from "./race-mode.ts";
import {
  actorFor,
  addMembers,
  createTestCampaign,
  createTestUser,
  createTestUsers,
  makePairwiseItems,
  uniqueSuffix,
  type TestCampaign,
} from "../src/testing/builders.ts";

announceRaces("routing (two passes at once while annotators lease)");

let admin: User;
let server: OpenAITestServer;
const workers: JobWorker[] = [];

let restoreEnvironment: () => void;
beforeAll(async () => {
  // The test server listens on 127.0.0.1, which the judge may reach only when it is listed.
  restoreEnvironment = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: "127.0.0.1" });
  admin = await createTestUser({ role: "admin" });
  server = await startOpenAITestServer();
  server.setHandler(scriptedJudge);
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 0 })));
});

afterAll(async () => {
  restoreEnvironment();
  await server.close();
  await disconnectPrisma();
});

/**
 * A judge whose certainty varies with the item: confidence (i·37 mod 10)/10, and every fifth item
 * it always picks whatever is shown first (a position-biased, order-inconsistent verdict).
 */
function scriptedJudge(request: RecordedRequest): TestServerBehaviour {
  const index = Number(/Question (\d+):/.exec(request.text)?.[1] ?? 0);
  if (index % 5 === 0) return replyWith({ winner: "A", confidence: 0.8, rationale: "first" });
  const label = [...shownResponses(request)].find(([, text]) => text.startsWith("The answer is"))?.[0] ?? "A";
  return replyWith({ winner: label, confidence: ((index * 37) % 10) / 10, rationale: "ok" });
}

async function hybridCampaign(options: { items?: number; routing?: Partial<RoutingConfig>; prefix?: string; overlap?: number } = {}): Promise<TestCampaign> {
  const config: CampaignConfigInput = {
    goldRate: 0,
    overlap: options.overlap ?? 1,
    routing: { mode: "hybrid", humanBudget: 0.3, calibrationFraction: 0.1, seed: 7, ...options.routing },
    judge: { enabled: true, baseUrl: server.baseUrl, model: "routing-judge", maxRetries: 0, timeoutMs: 5_000 },
  };
  return createTestCampaign({
    admin,
    taskType: "pairwise",
    config,
    items: makePairwiseItems(options.items ?? 30, { prefix: options.prefix ?? `r-${uniqueSuffix()}` }),
  });
}

function worker(queues: Array<"judge" | "routing">, options: { sweep?: boolean } = {}): JobWorker {
  const memo = createRoutingSweepMemo();
  const w = startJobWorker({
    handlers: queues.map((q) => (q === "judge" ? createJudgeJobHandler() : createRoutingJobHandler())),
    concurrency: 8,
    pollMs: 20,
    leaseMs: 10_000,
    retryDelayMs: () => 30,
    log: () => undefined,
    periodic: options.sweep ? [{ name: "sweep", everyMs: 100, run: async () => void (await sweepRoutingCampaigns(memo)) }] : [],
  });
  workers.push(w);
  return w;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the campaign's judge jobs to the end with a judge-only worker. */
async function judgeEverything(campaignId: string) {
  const w = worker(["judge"]);
  await waitFor("judge jobs", async () => {
    const open = await getPrisma().job.count({
      where: { queue: JUDGE_QUEUE, status: { in: ["queued", "running"] }, payload: { path: ["campaignId"], equals: campaignId } },
    });
    return open === 0;
  });
  await w.stop();
}

async function routes(campaignId: string) {
  const items = await getPrisma().item.findMany({ where: { campaignId }, orderBy: { position: "asc" } });
  return new Map(items.map((i) => [i.externalId, i]));
}

/** Items that spend the human budget: routed to humans or calibration, or labelled / leased by humans whatever their route. */
async function budgetUse(campaignId: string): Promise<number> {
  const [row] = await getPrisma().$queryRaw<Array<{ used: number }>>`
    SELECT count(*)::int AS used FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
      AND (i.routing IN ('human', 'calibration') OR i.human_count > 0
           OR EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now()))`;
  return row?.used ?? 0;
}

describe("routing passes over a hybrid campaign", () => {
  it("samples calibration, judges every item, then spends exactly the budget on the items most likely judged wrongly", async () => {
    const n = 25;
    const campaign = await hybridCampaign({ items: n });
    const first = await runRoutingPass({ campaignId: campaign.id });
    const maxHuman = resolveBudget(0.3, n);
    expect(first).toMatchObject({
      mode: "hybrid",
      items: n,
      maxHuman,
      calibrationTarget: 2,
      judgeJobsEnqueued: n,
      routes: { calibration: 2, pending: n - 2, human: 0, judge: 0 },
    });
    expect(await budgetUse(campaign.id)).toBe(2);

    await judgeEverything(campaign.id);
    const second = await runRoutingPass({ campaignId: campaign.id });
    expect(second.routes).toEqual({ calibration: 2, human: maxHuman - 2, judge: n - maxHuman, pending: 0 });
    expect(second.modelVersion).toBe(1);
    expect(await budgetUse(campaign.id)).toBe(maxHuman);

    const items = [...(await routes(campaign.id)).values()];
    expect(items.every((i) => i.judgeCount === 1)).toBe(true);
    const ranked = items.filter((i) => i.routing === "human" || i.routing === "judge");
    expect(ranked.every((i) => typeof i.routingScore === "number" && i.routedAt !== null)).toBe(true);
    const lowestHuman = Math.min(...ranked.filter((i) => i.routing === "human").map((i) => i.routingScore as number));
    const highestJudge = Math.max(...ranked.filter((i) => i.routing === "judge").map((i) => i.routingScore as number));
    expect(lowestHuman).toBeGreaterThanOrEqual(highestJudge);
    // Order-inconsistent verdicts (every fifth item) are the judge's least trustworthy: humans get them first.
    const inconsistent = ranked.filter((i) => Number(i.externalId.split("-").at(-1)) % 5 === 0);
    expect(inconsistent.filter((i) => i.routing === "human").length).toBe(Math.min(inconsistent.length, maxHuman - 2));
    // Arbiter's judge calls a pair that flips with the order a tie: doubt level 2 (flip + tie), ranked before any score; the rest level 0.
    const levelOf = (i: (typeof ranked)[number]) => (i.routingFeatures as { doubtLevel: number }).doubtLevel;
    expect(inconsistent.map(levelOf)).toEqual(inconsistent.map(() => 2));
    expect(ranked.filter((i) => !inconsistent.includes(i)).every((i) => levelOf(i) === 0)).toBe(true);
    const flipped = inconsistent.find((i) => i.routing === "human")?.routingFeatures as { topFeatures: Array<{ feature: string }> };
    expect(flipped.topFeatures.slice(0, 2).map((f) => f.feature)).toEqual(["judge_order_inconsistent", "judge_tie"]);
    const stored = ranked.find((i) => i.routing === "human")?.routingFeatures as {
      features: Record<string, number | null>;
      topFeatures: Array<{ feature: string }>;
      reason: string;
      modelVersion: number;
    };
    expect(stored.reason).toBe("budget");
    expect(stored.modelVersion).toBe(1);
    expect(stored.features).toHaveProperty("judge_confidence");
    expect(stored.topFeatures.length).toBeGreaterThan(0);

    const again = await runRoutingPass({ campaignId: campaign.id });
    expect(again.changed).toBe(0);
    expect(again.modelVersion).toBe(1);
    expect(await getPrisma().routerModelVersion.count({ where: { campaignId: campaign.id } })).toBe(1);
  });

  it("is deterministic under a seed: the same items and seed give the same routes in another campaign", async () => {
    const prefix = `same-${uniqueSuffix()}`;
    const a = await hybridCampaign({ items: 12, prefix, routing: { humanBudget: 0.5, calibrationFraction: 0.25 } });
    const b = await hybridCampaign({ items: 12, prefix, routing: { humanBudget: 0.5, calibrationFraction: 0.25 } });
    for (const campaign of [a, b]) {
      await runRoutingPass({ campaignId: campaign.id });
      await judgeEverything(campaign.id);
      await runRoutingPass({ campaignId: campaign.id });
    }
    const [routesA, routesB] = [await routes(a.id), await routes(b.id)];
    const summary = (m: Map<string, { routing: string; routingScore: number | null }>) => [...m].map(([id, i]) => [id, i.routing, i.routingScore]);
    expect(summary(routesA)).toEqual(summary(routesB));
    expect([...routesA.values()].filter((i) => i.routing === "calibration")).toHaveLength(3);
    expect([...routesA.values()].filter((i) => i.routing === "human")).toHaveLength(3);
  });

  it("never exceeds the budget, whatever the budget, and re-routes only items nobody has labelled or leased", async () => {
    const n = 16;
    const campaign = await hybridCampaign({ items: n, routing: { humanBudget: 0.5, calibrationFraction: 0.25 } });
    await runRoutingPass({ campaignId: campaign.id });
    await judgeEverything(campaign.id);
    await runRoutingPass({ campaignId: campaign.id });

    // Humans label some items and hold a lease on another.
    const annotators = await createTestUsers(3, { role: "annotator" });
    await addMembers(campaign.id, annotators);
    const labelled: string[] = [];
    for (const annotator of annotators.slice(0, 2)) {
      for (let k = 0; k < 3; k++) {
        const task = await assignNextTask({ actor: actorFor(annotator), campaignId: campaign.id });
        if (!task) break;
        await submitJudgment({
          actor: actorFor(annotator),
          assignmentId: task.assignmentId,
          idempotencyKey: randomUUID(),
          input: { winner: task.candidates[0]!.id },
        });
        labelled.push(task.item.id);
      }
    }
    const leasedTask = await assignNextTask({ actor: actorFor(annotators[2]!), campaignId: campaign.id });
    expect(leasedTask).not.toBeNull();
    const locked = new Set([...labelled, leasedTask!.item.id]);
    const before = await routes(campaign.id);
    for (const id of locked) expect(["human", "calibration"]).toContain(before.get(id)?.routing);

    for (const humanBudget of [0, 0.1, 0.3, 5, 0.75, 1]) {
      await updateRoutingSettings({
        actor: actorFor(admin),
        campaignId: campaign.id,
        input: { mode: "hybrid", humanBudget, calibrationFraction: 0.25, seed: 7 },
      });
      const summary = await runRoutingPass({ campaignId: campaign.id });
      const maxHuman = resolveBudget(humanBudget, n);
      const used = await budgetUse(campaign.id);

      // Labelled and leased items always count; beyond them the pass never routes a single item more than the budget.
      expect(used).toBeLessThanOrEqual(Math.max(maxHuman, locked.size));
      if (maxHuman >= locked.size) expect(used).toBe(maxHuman);
      expect(summary.humanUsed).toBe(used);
      const after = await routes(campaign.id);
      for (const id of locked) expect(after.get(id)?.routing, `${id} keeps its route with humans (budget ${humanBudget})`).toBe(before.get(id)?.routing);
    }
  });

  it("retrains when calibration items get human labels (the hook queues the pass) and keeps a model version per training set", async () => {
    const campaign = await hybridCampaign({ items: 16, routing: { humanBudget: 0.75, calibrationFraction: 0.5 } });
    await runRoutingPass({ campaignId: campaign.id });
    await judgeEverything(campaign.id);
    await runRoutingPass({ campaignId: campaign.id });

    const annotator = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [annotator]);
    const byExternal = await routes(campaign.id);
    const labels = { calibration: 0, human: 0 };
    const routingJobs = { payload: { path: ["campaignId"], equals: campaign.id }, queue: ROUTING_QUEUE };
    for (;;) {
      const task = await assignNextTask({ actor: actorFor(annotator), campaignId: campaign.id });
      if (!task) break;
      const item = byExternal.get(task.item.id)!;
      await getPrisma().job.deleteMany({ where: routingJobs });
      await submitJudgment({
        actor: actorFor(annotator),
        assignmentId: task.assignmentId,
        idempotencyKey: randomUUID(),
        input: { winner: task.candidates[0]!.id },
      });
      const queued = await getPrisma().job.count({ where: { ...routingJobs, status: "queued" } });
      if (item.routing === "calibration") expect(queued, "a label on a calibration item queues a routing pass").toBe(1);
      else expect(queued, "a label on a human-routed item queues nothing").toBe(0);
      labels[item.routing === "calibration" ? "calibration" : "human"]++;
    }
    expect(labels).toEqual({ calibration: 8, human: 4 });
    const retrained = await runRoutingPass({ campaignId: campaign.id });
    expect(retrained.modelVersion).toBe(2);
    const latest = await getPrisma().routerModelVersion.findFirstOrThrow({ where: { campaignId: campaign.id }, orderBy: { version: "desc" } });
    expect(latest.metrics).toMatchObject({ trainedOn: 8, agreement: { items: 8 } });

    const dashboard = await getRoutingDashboard({ actor: actorFor(admin), campaignId: campaign.id });
    expect(dashboard.model).toMatchObject({ version: 2, trainedOn: 8 });
    expect(dashboard.agreement.calibration.items).toBe(8);
    expect(dashboard.agreement.calibration.agreement).not.toBeNull();
    expect(dashboard.agreement.calibration.predicted).not.toBeNull();
    expect(dashboard.budget).toMatchObject({ maxHuman: 12, used: 12, calibration: 8, calibrationTarget: 8 });
    expect(dashboard.items.byRoute.calibration.humanLabelled).toBe(8);
    expect(dashboard.judgeJobs.done).toBe(16);
    expect(dashboard.judgeUsage[0]).toMatchObject({ model: "routing-judge", judgments: 16 });
    expect(dashboard.history.map((h) => h.version)).toEqual([2, 1]);
  });

  it("switching modes keeps human work: all_judge sends every unlabelled item to the judge, all_human every item to humans", async () => {
    const campaign = await hybridCampaign({ items: 10, routing: { humanBudget: 0.5, calibrationFraction: 0.2 } });
    await runRoutingPass({ campaignId: campaign.id });
    await judgeEverything(campaign.id);
    await runRoutingPass({ campaignId: campaign.id });
    const annotator = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [annotator]);
    const task = await assignNextTask({ actor: actorFor(annotator), campaignId: campaign.id });
    await submitJudgment({ actor: actorFor(annotator), assignmentId: task!.assignmentId, idempotencyKey: randomUUID(), input: { winner: "tie" } });

    await updateRoutingSettings({
      actor: actorFor(admin),
      campaignId: campaign.id,
      input: { mode: "all_judge", humanBudget: 0, calibrationFraction: 0, seed: 7 },
    });
    await runRoutingPass({ campaignId: campaign.id });
    const judged = await routes(campaign.id);
    expect([...judged.values()].filter((i) => i.routing !== "judge").map((i) => i.externalId)).toEqual([task!.item.id]);

    await updateRoutingSettings({
      actor: actorFor(admin),
      campaignId: campaign.id,
      input: { mode: "all_human", humanBudget: 1, calibrationFraction: 0, seed: 7 },
    });
    await runRoutingPass({ campaignId: campaign.id });
    expect([...(await routes(campaign.id)).values()].every((i) => i.routing === "human")).toBe(true);
  });

  it("runs by itself in the worker: the sweep notices the new campaign, judge verdicts trigger routing", async () => {
    const campaign = await hybridCampaign({ items: 12, routing: { humanBudget: 0.5, calibrationFraction: 0.25 } });
    worker(["judge", "routing"], { sweep: true });
    const settled = await waitFor("the campaign to be routed", async () => {
      const items = [...(await routes(campaign.id)).values()];
      const pending = items.filter((i) => i.routing === "pending").length;
      const versions = await getPrisma().routerModelVersion.count({ where: { campaignId: campaign.id } });
      return pending === 0 && items.every((i) => i.judgeCount === 1) && versions > 0 ? items : null;
    });
    expect(settled.filter((i) => i.routing === "calibration")).toHaveLength(3);
    expect(settled.filter((i) => i.routing === "human")).toHaveLength(3);
    expect(await budgetUse(campaign.id)).toBe(6);
  });

  it("refuses routing settings from non-admins and bad budgets", async () => {
    const campaign = await hybridCampaign({ items: 2 });
    const researcher = await createTestUser({ role: "researcher" });
    await expect(updateRoutingSettings({ actor: actorFor(researcher), campaignId: campaign.id, input: { mode: "all_judge" } })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      updateRoutingSettings({ actor: actorFor(admin), campaignId: campaign.id, input: { mode: "hybrid", humanBudget: 2.5 } }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(updateRoutingSettings({ actor: actorFor(admin), campaignId: campaign.id, input: { mode: "smart" } })).rejects.toMatchObject({
      code: "unprocessable",
    });
    const dashboard = await getRoutingDashboard({ actor: actorFor(researcher), campaignId: campaign.id });
    expect(dashboard.routing.mode).toBe("hybrid");
    expect(JSON.stringify(dashboard)).not.toMatch(/apiKey"/);
  });
});

describe("routing passes racing annotators", () => {
  raceIt(
    "two routing passes at once, again and again, while 8 annotators lease and label: budget never exceeded, no leased or labelled item taken from humans",
    async () => {
      const n = 40;
      const campaign = await hybridCampaign({ items: n, routing: { humanBudget: 0.3, calibrationFraction: 0.25 } });
      await runRoutingPass({ campaignId: campaign.id });
      await judgeEverything(campaign.id);
      await runRoutingPass({ campaignId: campaign.id });
      const annotators = await createTestUsers(8, { role: "annotator" });
      await addMembers(campaign.id, annotators);

      // Every task an annotator was handed: its item must stay with humans, whatever the passes decide.
      const handed = new Set<string>();
      let stop = false;
      const annotate = async (annotator: User, index: number) => {
        for (let round = 0; !stop && round < 6; round++) {
          const task = await assignNextTask({ actor: actorFor(annotator), campaignId: campaign.id });
          if (!task) return;
          handed.add(task.item.id);
          // Half the annotators label what they get; the others hold their lease (it stays live).
          if (index % 2 === 1) return;
          await submitJudgment({
            actor: actorFor(annotator),
            assignmentId: task.assignmentId,
            idempotencyKey: randomUUID(),
            input: { winner: task.candidates[0]!.id },
          });
        }
      };
      const passes = async () => {
        for (const humanBudget of [0.1, 0.3, 0.05, 0.3]) {
          await updateRoutingSettings({
            actor: actorFor(admin),
            campaignId: campaign.id,
            input: { mode: "hybrid", humanBudget, calibrationFraction: 0.25, seed: 7 },
          });
          await Promise.all([runRoutingPass({ campaignId: campaign.id }), runRoutingPass({ campaignId: campaign.id })]);
        }
      };
      const results = await Promise.allSettled([passes(), ...annotators.map((a, i) => annotate(a, i))]);
      stop = true;
      const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
      if (failures.length > 0) throw failures[0];
      expect(handed.size).toBeGreaterThan(0);

      // One quiet pass under the last budget, then: every item a human holds or labelled is still routed to humans,
      // and beyond those the budget is never exceeded.
      await runRoutingPass({ campaignId: campaign.id });
      const after = await routes(campaign.id);
      for (const id of handed) expect(["human", "calibration"], `${id} was handed to an annotator`).toContain(after.get(id)?.routing);
      const maxHuman = resolveBudget(0.3, n);
      expect(await budgetUse(campaign.id)).toBeLessThanOrEqual(Math.max(maxHuman, handed.size));
      // Exactly-once still holds for the humans: no item over its overlap, nobody twice on one item.
      const over = await getPrisma().$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM items WHERE campaign_id = ${campaign.id}::uuid AND human_count > 1`;
      expect(over[0]?.n).toBe(0);
    },
    120_000,
  );
});
