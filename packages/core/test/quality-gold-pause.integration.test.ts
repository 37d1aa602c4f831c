import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { getCampaignStats } from "../src/quality/get-campaign-stats.ts";
import { setMemberStatus } from "../src/quality/set-member-status.ts";
import { resolveCampaignConfig } from "../src/campaign-config/campaign-config.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makePairwiseItems, type TestCampaign } from "../src/testing/builders.ts";

let admin: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  await disconnectPrisma();
});

/** Gold items only (gold winner "a"), so every task is a gold check. */
async function goldCampaign(config: Record<string, unknown>, count = 10): Promise<TestCampaign> {
  return createTestCampaign({
    admin,
    taskType: "pairwise",
    config: { overlap: 1, goldRate: 1, ...config },
    items: makePairwiseItems(count, { prefix: "gold", gold: () => ({ winner: "a" }) }),
  });
}

/** Takes the next task and answers it right ("a") or wrong ("b"). */
async function answer(campaign: TestCampaign, user: User, right: boolean): Promise<void> {
  const task = await assignNextTask({ actor: actorFor(user), campaignId: campaign.id });
  expect(task, "a task is handed out").not.toBeNull();
  const item = campaign.items.find((i) => i.externalId === task!.item.id)!;
  const winner = item.responses.find((r) => r.externalId === (right ? "a" : "b"))!.id;
  await submitJudgment({ actor: actorFor(user), assignmentId: task!.assignmentId, input: { winner } });
}

async function membership(campaignId: string, userId: string) {
  return getPrisma().campaignMember.findUniqueOrThrow({ where: { campaignId_userId: { campaignId, userId } } });
}

describe("automatic pause on low gold accuracy", () => {
  it("pauses once the minimum number of gold judgments is reached below the threshold, then an admin resumes", async () => {
    const campaign = await goldCampaign({ goldPauseThreshold: 0.6, goldPauseMinJudgments: 3 });
    const [sloppy, careful] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [sloppy!, careful!]);

    // Two wrong answers: 0 % accuracy, but under the minimum of three: still working.
    await answer(campaign, sloppy!, false);
    await answer(campaign, sloppy!, false);
    expect((await membership(campaign.id, sloppy!.id)).status).toBe("active");
    // The third task is on screen and the next one prefetched (a second open lease) when the pause comes.
    const held = await assignNextTask({ actor: actorFor(careful!), campaignId: campaign.id });
    const onScreen = (await assignNextTask({ actor: actorFor(sloppy!), campaignId: campaign.id }))!;
    const prefetched = (await assignNextTask({ actor: actorFor(sloppy!), campaignId: campaign.id, exclude: [onScreen.assignmentId] }))!;
    expect(prefetched.assignmentId).not.toBe(onScreen.assignmentId);
    const rightAnswer = campaign.items.find((i) => i.externalId === onScreen.item.id)!.responses.find((r) => r.externalId === "a")!.id;
    await submitJudgment({ actor: actorFor(sloppy!), assignmentId: onScreen.assignmentId, input: { winner: rightAnswer } }); // 1 of 3 = 33 % < 60 %
    const paused = await membership(campaign.id, sloppy!.id);
    expect(paused.status).toBe("paused");
    expect(paused.pauseReason).toMatch(/gold accuracy 33 % \(1 of 3\) is below the campaign's 60 %/);
    await expect(assignNextTask({ actor: actorFor(sloppy!), campaignId: campaign.id })).rejects.toSatisfy(
      (e: unknown) => e instanceof AppError && e.code === "forbidden",
    );
    // The pause released the prefetched lease, and nobody else's.
    expect((await getPrisma().assignment.findUniqueOrThrow({ where: { id: prefetched.assignmentId } })).status).toBe("expired");
    expect((await getPrisma().assignment.findUniqueOrThrow({ where: { id: held!.assignmentId } })).status).toBe("leased");

    // The careful annotator is never paused.
    for (let i = 0; i < 3; i++) await answer(campaign, careful!, i !== 0); // 2 of 3 = 67 % ≥ 60 %
    expect((await membership(campaign.id, careful!.id)).status).toBe("active");

    const stats = await getCampaignStats({ actor: actorFor(admin), campaignId: campaign.id });
    const figure = stats.annotators.find((a) => a.userId === sloppy!.id)!;
    expect(figure).toMatchObject({ status: "paused", goldJudgments: 3, goldCorrect: 1 });
    expect(figure.flags).toEqual(expect.arrayContaining(["gold_accuracy_low", "paused"]));
    const audit = await getPrisma().auditLog.findFirst({ where: { campaignId: campaign.id, action: "campaign.member.auto_pause", targetId: sloppy!.id } });
    expect(audit?.data).toMatchObject({ correct: 1, total: 3, threshold: 0.6 });

    // Resumed by an admin: a fresh window, so one more wrong answer does not pause again at once…
    const resumed = await setMemberStatus({ actor: actorFor(admin), campaignId: campaign.id, userId: sloppy!.id, input: { status: "active" } });
    expect(resumed).toMatchObject({ status: "active", pauseReason: null, email: sloppy!.email });
    await answer(campaign, sloppy!, false);
    await answer(campaign, sloppy!, false);
    expect((await membership(campaign.id, sloppy!.id)).status).toBe("active");
    // … but three fresh wrong answers do.
    await answer(campaign, sloppy!, false);
    expect((await membership(campaign.id, sloppy!.id)).status).toBe("paused");

    // An admin can pause by hand with a reason.
    const manual = await setMemberStatus({
      actor: actorFor(admin),
      campaignId: campaign.id,
      userId: careful!.id,
      input: { status: "paused", reason: "asked for a break" },
    });
    expect(manual).toMatchObject({ status: "paused", pauseReason: "asked for a break" });
  });

  it("never pauses without a threshold, or on judgments of regular items", async () => {
    const off = await goldCampaign({ goldPauseMinJudgments: 1 });
    const [user] = await createTestUsers(1, { role: "annotator" });
    await addMembers(off.id, [user!]);
    for (let i = 0; i < 3; i++) await answer(off, user!, false);
    expect((await membership(off.id, user!.id)).status).toBe("active");

    const regular = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 1, goldRate: 0, goldPauseThreshold: 0.9, goldPauseMinJudgments: 1 },
      items: makePairwiseItems(3),
    });
    await addMembers(regular.id, [user!]);
    for (let i = 0; i < 3; i++) await answer(regular, user!, false);
    expect((await membership(regular.id, user!.id)).status).toBe("active");
  });

  it("validates the new config fields", () => {
    expect(resolveCampaignConfig("pairwise", {}).goldPauseMinJudgments).toBe(5);
    expect(() => resolveCampaignConfig("pairwise", { goldPauseMinJudgments: 0 })).toThrow(AppError);
    expect(() => resolveCampaignConfig("pairwise", { arena: { enabled: true } })).toThrow(/arena needs K-wise/);
    expect(resolveCampaignConfig("kwise", { arena: { enabled: true } }).arena).toEqual({ enabled: true });
  });
});
