import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { createSeededRandom } from "@arbiter/ranking";
import { AppError } from "../src/errors.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { skipTask } from "../src/annotation/skip-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import type { TaskView } from "../src/annotation/task-view.ts";
import { getCampaignLeaderboard } from "../src/quality/get-campaign-leaderboard.ts";
import { getCampaignSeries } from "../src/quality/get-campaign-series.ts";
import { getCampaignStats } from "../src/quality/get-campaign-stats.ts";
import { measureHumanAgreement } from "../src/datasets/measure-human-agreement.ts";
import { setMemberStatus } from "../src/quality/set-member-status.ts";
import { pseudonymizeAnnotator } from "../src/export/pseudonymize-annotator.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makePairwiseItems, type TestCampaign } from "../src/testing/builders.ts";

let admin: User;
let researcher: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  researcher = await createTestUser({ role: "researcher" });
});

afterAll(async () => {
  await disconnectPrisma();
});

/** Imported response id ("a", "b") of a candidate. */
function externalOf(campaign: TestCampaign, task: TaskView, candidateId: string): string {
  const item = campaign.items.find((i) => i.externalId === task.item.id)!;
  return item.responses.find((r) => r.id === candidateId)!.externalId;
}

function candidateFor(campaign: TestCampaign, task: TaskView, external: string): string {
  const item = campaign.items.find((i) => i.externalId === task.item.id)!;
  return item.responses.find((r) => r.externalId === external)!.id;
}

/** Works through every task the annotator is given; `decide` returns "a" / "b" / "tie" / "skip" or a candidate id. */
async function annotate(user: User, campaign: TestCampaign, decide: (task: TaskView) => string, random?: () => number): Promise<TaskView[]> {
  const actor = actorFor(user);
  const tasks: TaskView[] = [];
  for (
    let task = await assignNextTask({ actor, campaignId: campaign.id, random });
    task;
    task = await assignNextTask({ actor, campaignId: campaign.id, random })
  ) {
    tasks.push(task);
    const choice = decide(task);
    if (choice === "skip") await skipTask({ actor, assignmentId: task.assignmentId, input: {} });
    else {
      const winner = choice === "a" || choice === "b" ? candidateFor(campaign, task, choice) : choice;
      await submitJudgment({ actor, assignmentId: task.assignmentId, input: { winner, timeMs: 2000 } });
    }
  }
  return tasks;
}

async function expectCode(promise: Promise<unknown>, code: AppError["code"]) {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === code);
}

describe("campaign stats", () => {
  it("reports hand-computed agreement over judgments made through the assignment engine", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 3, goldRate: 0 }, items: makePairwiseItems(4) });
    const [a, b, c] = await createTestUsers(3, { role: "annotator" });
    await addMembers(campaign.id, [a!, b!, c!]);
    // item-0: a a a · item-1: a a b · item-2: tie tie b · item-3: b b (C skips it)
    const plan: Record<string, string[]> = {
      "item-0": ["a", "a", "a"],
      "item-1": ["a", "a", "b"],
      "item-2": ["tie", "tie", "b"],
      "item-3": ["b", "b", "skip"],
    };
    for (const [index, user] of [a!, b!, c!].entries()) await annotate(user, campaign, (task) => plan[task.item.id]![index]!);

    // The judge: a, b, tie, b.
    const prisma = getPrisma();
    for (const [n, choice] of ["a", "b", "tie", "b"].entries()) {
      const item = campaign.items[n]!;
      const winner = item.responses.find((r) => r.externalId === choice);
      await prisma.judgment.create({
        data: {
          campaignId: campaign.id,
          itemId: item.id,
          source: "judge",
          judgeModel: "judge-1",
          verdict: winner ? "winner" : "tie",
          winnerId: winner?.id ?? null,
          presentedOrder: item.responses.map((r) => r.id),
        },
      });
    }

    const stats = await getCampaignStats({ actor: actorFor(researcher), campaignId: campaign.id });
    expect(stats.progress).toMatchObject({
      items: 4,
      itemsComplete: 3,
      judgments: { human: 11, judge: 4, reward_model: 0 },
      skipped: 1,
      openLeases: 0,
      members: 3,
      activeAnnotators: 3,
    });
    // Shared categories first / second / tie (measure-agreement.test.ts works it by hand).
    expect(stats.agreement.krippendorffAlpha).toBeCloseTo(9 / 19, 12);
    expect(stats.agreement.krippendorffAlphaCi).toHaveLength(2);
    // The dataset card's figure is the same function over the same votes: the same α, interval and units.
    const card = await measureHumanAgreement({ campaignId: campaign.id });
    expect(card).toMatchObject({ krippendorffAlpha: stats.agreement.krippendorffAlpha, units: 4, items: 4, level: "nominal" });
    expect(card.krippendorffAlphaCi).toEqual(stats.agreement.krippendorffAlphaCi);
    expect(stats.agreement.fleissKappa).toBeCloseTo(1 / 4, 12);
    expect(stats.agreement.humanVsJudgeCohenKappa).toBeCloseTo(7 / 11, 12);
    expect(stats.agreement.cohenKappaPairwise.mean).toBeCloseTo(3 / 7, 12);

    const salt = (await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).pseudonymSalt;
    const byId = new Map(stats.annotators.map((f) => [f.annotatorId, f]));
    expect(byId.get(pseudonymizeAnnotator(a!.id, salt))).toMatchObject({ judgments: 4, leaveOneOutAgreement: 0.75, medianTimeMs: 2000, status: "active" });
    expect(byId.get(pseudonymizeAnnotator(c!.id, salt))!.leaveOneOutAgreement).toBeCloseTo(1 / 3, 12);
    // Researchers see pseudonyms only; admins also the user id and email.
    expect(JSON.stringify(stats)).not.toContain(a!.email);
    expect(JSON.stringify(stats)).not.toContain(a!.id);
    const forAdmin = await getCampaignStats({ actor: actorFor(admin), campaignId: campaign.id });
    expect(forAdmin.annotators.find((f) => f.userId === a!.id)).toMatchObject({ email: a!.email, annotatorId: pseudonymizeAnnotator(a!.id, salt) });

    // Over time: one hour of activity, three items completed, eleven human judgments.
    const series = await getCampaignSeries({ actor: actorFor(researcher), campaignId: campaign.id, query: { bucket: "hour" } });
    expect(series.bucket).toBe("hour");
    const last = series.progress.at(-1)!;
    expect(last).toMatchObject({ humanTotal: 11, judgeTotal: 4, itemsCompletedTotal: 3 });
    expect(series.throughput.reduce((sum, p) => sum + p.judgments, 0)).toBe(11);
  });

  it("measures gold accuracy and flags an annotator who always picks the first response", async () => {
    const gold = makePairwiseItems(4, { prefix: "gold", gold: () => ({ winner: "a" }) });
    const campaign = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 2, goldRate: 0.5 },
      items: [...makePairwiseItems(12), ...gold],
    });
    const [first, careful] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [first!, careful!]);
    const random = createSeededRandom(7);
    const firstTasks = await annotate(first!, campaign, (task) => task.candidates[0]!.id, random);
    await annotate(careful!, campaign, () => "a", random);

    const stats = await getCampaignStats({ actor: actorFor(admin), campaignId: campaign.id });
    const goldTasks = firstTasks.filter((t) => t.item.id.startsWith("gold"));
    const goldRight = goldTasks.filter((t) => externalOf(campaign, t, t.candidates[0]!.id) === "a").length;
    const f = stats.annotators.find((x) => x.userId === first!.id)!;
    const k = stats.annotators.find((x) => x.userId === careful!.id)!;
    expect(goldTasks).toHaveLength(4);
    expect(f).toMatchObject({ judgments: 16, goldJudgments: 4, goldCorrect: goldRight, goldAccuracy: goldRight / 4 });
    expect(k).toMatchObject({ judgments: 16, goldJudgments: 4, goldAccuracy: 1 });
    expect(stats.gold).toEqual({ judgments: 8, correct: 4 + goldRight, accuracy: (4 + goldRight) / 8 });
    // 16 of 16 decisive choices on the first slot: p = 2 · 0.5^16.
    expect(f.positionBias).toMatchObject({ decisive: 16, firstShare: 1, expectedShare: 0.5 });
    expect(f.positionBias.pValue).toBeCloseTo(2 * 0.5 ** 16, 12);
    expect(f.flags).toContain("position_bias");
    expect(k.flags).not.toContain("position_bias");
  });

  it("answers annotators 403 in their campaign and 404 elsewhere; anonymous callers 401", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", items: makePairwiseItems(2) });
    const [member, outsider] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [member!]);
    for (const call of [getCampaignStats, getCampaignLeaderboard, getCampaignSeries]) {
      await expectCode(call({ actor: actorFor(member!), campaignId: campaign.id }), "forbidden");
      await expectCode(call({ actor: actorFor(outsider!), campaignId: campaign.id }), "not_found");
      await expectCode(call({ actor: null, campaignId: campaign.id }), "unauthorized");
      await expectCode(call({ actor: actorFor(researcher), campaignId: "00000000-0000-4000-8000-000000000000" }), "not_found");
    }
    await expectCode(setMemberStatus({ actor: actorFor(researcher), campaignId: campaign.id, userId: member!.id, input: { status: "paused" } }), "forbidden");
    await expectCode(setMemberStatus({ actor: actorFor(member!), campaignId: campaign.id, userId: member!.id, input: { status: "active" } }), "forbidden");
    await expectCode(setMemberStatus({ actor: actorFor(admin), campaignId: campaign.id, userId: outsider!.id, input: { status: "active" } }), "not_found");
    await expectCode(setMemberStatus({ actor: actorFor(admin), campaignId: campaign.id, userId: member!.id, input: { status: "gone" } }), "unprocessable");
    await expectCode(getCampaignLeaderboard({ actor: actorFor(researcher), campaignId: campaign.id, query: { method: "glicko" } }), "unprocessable");
  });
});
