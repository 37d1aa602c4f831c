import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overrideEnvironment } from "@arbiter/config";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { replyWith, shownResponses, startOpenAITestServer, type OpenAITestServer, type RecordedRequest } from "@arbiter/judge/testing";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { getTask } from "../src/annotation/get-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import type { TaskView } from "../src/annotation/task-view.ts";
import { resolveCampaignConfig, type CampaignConfigInput } from "../src/campaign-config/campaign-config.ts";
import { AppError } from "../src/errors.ts";
import { startJobWorker } from "../src/jobs/start-job-worker.ts";
import { campaignJudgeSettings } from "../src/llm-judge/campaign-judge-settings.ts";
import { enqueueJudgeJobs } from "../src/llm-judge/enqueue-judge-jobs.ts";
import { forgetJudgeHintState } from "../src/reward/judge-hint.ts";
import { createJudgeJobHandler, JUDGE_QUEUE } from "../src/llm-judge/judge-job-handler.ts";
import { getHintInfluence } from "../src/reward/get-hint-influence.ts";
import { getRewardModelInfo } from "../src/reward/get-reward-model-info.ts";
import { inHintControlArm } from "../src/reward/hint-condition.ts";
import { forgetRewardModelRef } from "../src/reward/reward-model-ref.ts";
import { runRoutingPass } from "../src/routing/run-routing-pass.ts";
import { db } from "../src/store/transaction.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, uniqueSuffix, type TestCampaign } from "../src/testing/builders.ts";
import type { NewItem } from "../src/store/items.ts";

// The LLM judge's verdict as the hint (issue 18, item 5): a real judge (a local OpenAI-compatible
// server) labels the items through the job queue, annotators label the calibration items, and the
// judge's agreement with them on those items opens the gate. Gold and calibration items never
// carry the judge's verdict; the no-hint arm gets none either.

let admin: User;
let server: OpenAITestServer;
let restoreEnvironment: () => void;

/** The judge picks the response that says "correct" (the same whichever order it is shown in). */
function scriptedJudge(request: RecordedRequest) {
  const label = [...shownResponses(request)].find(([, text]) => text.includes("correct"))?.[0] ?? "A";
  return replyWith({ winner: label, confidence: 0.9, rationale: "it is correct" });
}

beforeAll(async () => {
  restoreEnvironment = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: "127.0.0.1" });
  admin = await createTestUser({ role: "admin" });
  server = await startOpenAITestServer();
  server.setHandler(scriptedJudge);
});

afterAll(async () => {
  restoreEnvironment();
  await server.close();
  await disconnectPrisma();
});

const REGULAR = 80;
const GOLD = 6;

/**
 * Items whose right answer ("a", which says "correct") is the longer one on even items and the
 * shorter one on odd items, so neither length rule predicts the annotators; and a few gold items.
 */
function items(): NewItem[] {
  const regular: NewItem[] = Array.from({ length: REGULAR }, (_, i) => ({
    externalId: `jh-${i}`,
    prompt: `Question ${i}: what is ${i} + ${i}?`,
    responses: [
      { externalId: "a", content: i % 2 === 0 ? `${2 * i}, which is correct: ${i} and ${i} make ${2 * i}, as counting shows.` : `${2 * i}, correct.` },
      { externalId: "b", content: `It might be ${2 * i + 1}, I believe.` },
    ],
    gold: null,
  }));
  const gold: NewItem[] = Array.from({ length: GOLD }, (_, i) => ({
    externalId: `jh-gold-${i}`,
    prompt: `Gold ${i}: what is ${i} times 2?`,
    responses: [
      { externalId: "a", content: `${2 * i}, which is correct.` },
      { externalId: "b", content: `${2 * i + 3}, I believe.` },
    ],
    gold: { winner: "a" },
  }));
  return [...regular, ...gold];
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the campaign's judge jobs to the end on a judge worker. */
async function judgeEverything(campaignId: string): Promise<void> {
  const worker = startJobWorker({
    handlers: [createJudgeJobHandler()],
    concurrency: 8,
    pollMs: 20,
    leaseMs: 10_000,
    retryDelayMs: () => 30,
    log: () => undefined,
  });
  try {
    await waitFor("judge jobs", async () => {
      const open = await getPrisma().job.count({
        where: { queue: JUDGE_QUEUE, status: { in: ["queued", "running"] }, payload: { path: ["campaignId"], equals: campaignId } },
      });
      return open === 0;
    });
  } finally {
    await worker.stop({ graceMs: 1_000 });
  }
}

function forgetCaches(campaignId: string): void {
  forgetRewardModelRef(campaignId);
  forgetJudgeHintState(campaignId);
}

type Item = TestCampaign["items"][number];

/**
 * The annotator takes every task left and picks as `pick` says ("a" / "b" by external id),
 * reporting the judge's hint as the page would. Returns each task with its item.
 */
async function annotateAll(campaign: TestCampaign, user: User, pick: (item: Item) => "a" | "b"): Promise<Array<{ task: TaskView; item: Item }>> {
  const seen: Array<{ task: TaskView; item: Item }> = [];
  for (let guard = 0; guard < 1000; guard++) {
    const task = await assignNextTask({ actor: actorFor(user), campaignId: campaign.id });
    if (!task) return seen;
    const item = campaign.items.find((i) => i.externalId === task.item.id)!;
    const winner = item.responses.find((r) => r.externalId === pick(item))!.id;
    const hint = task.judgeHint ? { shown: true, source: "judge" as const, agreed: task.judgeHint.winner === winner } : undefined;
    await submitJudgment({ actor: actorFor(user), assignmentId: task.assignmentId, input: { winner, ...(hint ? { hint } : {}) } });
    seen.push({ task, item });
  }
  throw new Error("too many tasks");
}

describe("hintSource: judge", () => {
  it("is refused without an LLM judge", () => {
    expect(() => resolveCampaignConfig("pairwise", { hintSource: "judge" })).toThrow(AppError);
    expect(resolveCampaignConfig("pairwise", {}).hintSource).toBe("reward-model");
  });

  it("shows the judge's stored verdict only once its agreement on calibration items passes the gate, never on gold or calibration items, never in the no-hint arm", async () => {
    const config: CampaignConfigInput = {
      overlap: 3,
      goldRate: 0.2,
      allowTie: false,
      allowBothBad: false,
      hintMode: "after_choice",
      hintSource: "judge",
      hintGate: "auto",
      hintControlShare: 0,
      routing: { mode: "hybrid", humanBudget: 1, calibrationFraction: 0.5, seed: 3 },
      judge: { enabled: true, baseUrl: server.baseUrl, model: "hint-judge", maxRetries: 0, timeoutMs: 5_000 },
    };
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config, items: items(), name: `Judge hint ${uniqueSuffix()}` });
    const settings = campaignJudgeSettings(resolveCampaignConfig("pairwise", config))!;
    const [first, second, third] = await createTestUsers(3, { role: "annotator" });
    await addMembers(campaign.id, [first!, second!, third!]);

    // The judge labels every regular item (a routing pass enqueues the jobs) — and, here, the gold
    // items too, so that leaving gold items without a hint is the rule's doing, not a missing verdict.
    await runRoutingPass({ campaignId: campaign.id });
    const goldItems = campaign.items.filter((i) => i.externalId.startsWith("jh-gold-"));
    await enqueueJudgeJobs(db(), { campaignId: campaign.id, itemIds: goldItems.map((i) => i.id), settings });
    await judgeEverything(campaign.id);
    const routed = await runRoutingPass({ campaignId: campaign.id });
    expect(routed.routes).toMatchObject({ pending: 0, judge: 0 });
    const judged = await getPrisma().judgment.count({ where: { campaignId: campaign.id, source: "judge" } });
    expect(judged).toBe(REGULAR + GOLD);
    const routes = new Map((await getPrisma().item.findMany({ where: { campaignId: campaign.id } })).map((i) => [i.id, i.routing]));
    const calibration = [...routes.values()].filter((r) => r === "calibration").length;
    expect(calibration).toBeGreaterThanOrEqual(30);
    expect(calibration).toBeLessThan(REGULAR);

    // Before any annotator labelled a calibration item the gate is shut: no task carries the judge's verdict.
    forgetCaches(campaign.id);
    const shut = await getRewardModelInfo({ actor: actorFor(admin), campaignId: campaign.id });
    expect(shut).toMatchObject({ hintSource: "judge", current: null, gate: { source: "judge", open: false, enforced: true, heldOutPairs: 0 } });
    expect(shut.gate.reasons).toContainEqual(expect.stringMatching(/only 0 calibration items labelled by both the judge and annotators \(needs 30\)/));

    // The first annotator labels everything while the gate is shut, agreeing with the judge on all
    // but every tenth item.
    const disagreeOn = (item: Item) => Number(item.externalId.replace(/\D+/g, "")) % 10 === 3;
    const firstPass = await annotateAll(campaign, first!, (item) => (disagreeOn(item) ? "b" : "a"));
    expect(firstPass.length).toBe(REGULAR + firstPass.filter((s) => s.item.isGold).length);
    for (const { task } of firstPass) {
      expect(task.judgeHint).toBeUndefined();
      expect(task.hintCondition).toBe("none");
      expect(task.hintSource).toBe("judge");
    }

    // The gate measures the judge against those labels on the calibration items, with the length rules on the same items.
    forgetCaches(campaign.id);
    const calibrationItems = campaign.items.filter((i) => routes.get(i.id) === "calibration");
    const agreed = calibrationItems.filter((i) => !disagreeOn(i)).length;
    const open = await getRewardModelInfo({ actor: actorFor(admin), campaignId: campaign.id });
    expect(open.gate).toMatchObject({
      source: "judge",
      open: true,
      reasons: [],
      heldOutPairs: calibrationItems.length,
      calibrationItems: calibrationItems.length,
      agreedItems: agreed,
      judge: { model: "hint-judge", promptVersion: settings.promptVersion },
    });
    expect(open.gate.accuracy).toBeCloseTo(agreed / calibrationItems.length, 10);
    expect(open.gate.accuracyCi![0]).toBeGreaterThan(0.5);
    expect(open.gate.baselines!.longer).toBeGreaterThan(0.25);
    expect(open.gate.baselines!.longer).toBeLessThan(0.75);
    expect(open.gate.baselines!.longer + open.gate.baselines!.shorter).toBeCloseTo(1, 10);

    // The second annotator: regular human-routed items carry the judge's verdict; calibration and gold items never do.
    const secondPass = await annotateAll(campaign, second!, () => "a");
    const byKind = { human: 0, calibration: 0, gold: 0 };
    for (const { task, item } of secondPass) {
      const correct = item.responses.find((r) => r.externalId === "a")!.id;
      if (item.isGold) {
        byKind.gold++;
        expect(task.judgeHint).toBeUndefined();
        expect(task.hintCondition).toBe("none");
      } else if (routes.get(item.id) === "calibration") {
        byKind.calibration++;
        expect(task.judgeHint).toBeUndefined();
        expect(task.hintCondition).toBe("none");
      } else {
        byKind.human++;
        expect(task.hintCondition).toBe("hint");
        expect(task.rewardModel).toBeUndefined();
        // The figures are the gate's (they may move as this annotator's calibration labels come in; the cache lives 5 s).
        expect(task.judgeHint).toEqual({
          kind: "judge",
          model: "hint-judge",
          winner: correct,
          ranking: null,
          agreement: expect.any(Number),
          agreementCi: [expect.any(Number), expect.any(Number)],
          calibrationItems: calibrationItems.length,
          gate: "auto",
        });
        expect(task.judgeHint!.agreementCi![0]).toBeGreaterThan(0.5);
      }
    }
    expect(byKind.human).toBe(REGULAR - calibrationItems.length);
    expect(byKind.calibration).toBe(calibrationItems.length);
    expect(byKind.gold).toBeGreaterThan(0);

    // Judgments record the arm and the source; the hint arm's judgments say the judge's verdict was shown.
    const secondRows = await getPrisma().judgment.findMany({ where: { campaignId: campaign.id, userId: second!.id } });
    const arms = secondRows.map((r) => r.meta as { hintCondition: string; hintSource: string });
    expect(arms.filter((m) => m.hintCondition === "hint")).toHaveLength(byKind.human);
    expect(arms.every((m) => m.hintSource === "judge")).toBe(true);

    // A task read back (after undo, say) carries the same verdict.
    const again = secondPass.find((s) => s.task.judgeHint)!;
    expect((await getTask({ actor: actorFor(second!), assignmentId: again.task.assignmentId })).judgeHint).toMatchObject({
      kind: "judge",
      winner: again.task.judgeHint!.winner,
      calibrationItems: calibrationItems.length,
    });

    // The no-hint arm applies to the judge's verdict too: half the third annotator's tasks get none.
    await getPrisma().$executeRaw`UPDATE campaigns SET config = config || '{"hintControlShare": 0.5}'::jsonb WHERE id = ${campaign.id}::uuid`;
    forgetCaches(campaign.id);
    const thirdPass = await annotateAll(campaign, third!, () => "a");
    const humanRouted = thirdPass.filter(({ item }) => !item.isGold && routes.get(item.id) !== "calibration");
    const control = humanRouted.filter(({ task }) => inHintControlArm(task.assignmentId, 0.5));
    expect(control.length).toBeGreaterThan(0);
    for (const { task } of control) {
      expect(task.hintCondition).toBe("control");
      expect(task.judgeHint).toBeUndefined();
    }
    const hinted = humanRouted.filter(({ task }) => !inHintControlArm(task.assignmentId, 0.5));
    expect(hinted.length).toBeGreaterThan(0);
    for (const { task } of hinted) expect(task.judgeHint?.kind).toBe("judge");
    // Gold and calibration items can never carry the judge's verdict: they are in neither arm, whatever the assignment's draw.
    const ineligible = thirdPass.filter(({ item }) => item.isGold || routes.get(item.id) === "calibration");
    expect(ineligible.some(({ task }) => inHintControlArm(task.assignmentId, 0.5))).toBe(true);
    for (const { task } of ineligible) expect(task.hintCondition).toBe("none");
    const thirdRows = await getPrisma().judgment.findMany({ where: { campaignId: campaign.id, userId: third!.id } });
    const thirdArms = new Map(thirdRows.map((r) => [r.assignmentId, (r.meta as { hintCondition: string }).hintCondition]));
    for (const { task } of control) expect(thirdArms.get(task.assignmentId)).toBe("control");
    for (const { task } of hinted) expect(thirdArms.get(task.assignmentId)).toBe("hint");
    for (const { task } of ineligible) expect(thirdArms.get(task.assignmentId)).toBe("none");

    // The hint-influence panel says which source each arm was under.
    const influence = await getHintInfluence({ actor: actorFor(admin), campaignId: campaign.id });
    expect(influence.hint.sources).toEqual({ "reward-model": 0, judge: byKind.human + hinted.length, unrecorded: 0 });
    expect(influence.control.sources.judge).toBe(influence.control.judgments);
    expect(influence.hint.agreesWithModel).toMatchObject({ rate: 1, n: byKind.human + hinted.length });

    // The calibration items now have three labels each (b, a, a where the first annotator disagreed): the majority agrees with the judge everywhere.
    forgetCaches(campaign.id);
    const after = await getRewardModelInfo({ actor: actorFor(admin), campaignId: campaign.id });
    expect(after.gate).toMatchObject({ open: true, heldOutPairs: calibrationItems.length, agreedItems: calibrationItems.length, accuracy: 1 });

    // Labels made while the judge's verdict showed never measure the judge: were one calibration
    // item's labels all made under it (it cannot happen through tasks), that item would drop out.
    await getPrisma().$executeRaw`
      UPDATE judgments SET meta = meta || '{"hintCondition": "hint", "hintSource": "judge"}'::jsonb
      WHERE item_id = ${calibrationItems[0]!.id}::uuid AND source = 'human'`;
    forgetCaches(campaign.id);
    const without = await getRewardModelInfo({ actor: actorFor(admin), campaignId: campaign.id });
    expect(without.gate.heldOutPairs).toBe(calibrationItems.length - 1);
  }, 180_000);

  it("with hintGate off shows an enabled judge's verdict unmeasured, still never on calibration items; with hints off, nothing", async () => {
    const config: CampaignConfigInput = {
      overlap: 1,
      goldRate: 0,
      allowTie: false,
      hintSource: "judge",
      hintGate: "off",
      hintControlShare: 0,
      routing: { mode: "hybrid", humanBudget: 1, calibrationFraction: 0.25, seed: 5 },
      judge: { enabled: true, baseUrl: server.baseUrl, model: "hint-judge-2", maxRetries: 0, timeoutMs: 5_000 },
    };
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config, items: items().slice(0, 12) });
    const [annotator] = await createTestUsers(1, { role: "annotator" });
    await addMembers(campaign.id, [annotator!]);
    await runRoutingPass({ campaignId: campaign.id });
    await judgeEverything(campaign.id);
    await runRoutingPass({ campaignId: campaign.id });
    const routes = new Map((await getPrisma().item.findMany({ where: { campaignId: campaign.id } })).map((i) => [i.id, i.routing]));
    forgetCaches(campaign.id);
    const info = await getRewardModelInfo({ actor: actorFor(admin), campaignId: campaign.id });
    expect(info.gate).toMatchObject({ source: "judge", open: true, enforced: false, heldOutPairs: 0, accuracy: null });
    const seen = await annotateAll(campaign, annotator!, () => "a");
    expect(seen).toHaveLength(12);
    for (const { task, item } of seen) {
      if (routes.get(item.id) === "calibration") expect(task.judgeHint).toBeUndefined();
      else expect(task.judgeHint).toMatchObject({ kind: "judge", winner: item.responses.find((r) => r.externalId === "a")!.id, gate: "off" });
    }
    expect(seen.some(({ task }) => task.judgeHint)).toBe(true);
    expect(seen.some(({ item }) => routes.get(item.id) === "calibration")).toBe(true);

    await getPrisma().$executeRaw`UPDATE campaigns SET config = config || '{"hintMode": "off"}'::jsonb WHERE id = ${campaign.id}::uuid`;
    const off = await getRewardModelInfo({ actor: actorFor(admin), campaignId: campaign.id });
    expect(off.gate).toMatchObject({ source: "judge", open: false, reasons: ["hints are off for this campaign (hintMode: off)"] });
  }, 120_000);
});
