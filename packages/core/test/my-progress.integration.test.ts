import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, type User } from "@arbiter/db";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { computeMyProgress, getMyProgress } from "../src/annotation/my-progress.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { AppError } from "../src/errors.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, makePairwiseItems, type TestCampaign } from "../src/testing/builders.ts";

/** Issue 17 item 6: "23 of your 150 · about 40 min left" from the database, per annotator. */
let admin: User;
let researcher: User;
let members: User[];
let outsider: User;
let campaign: TestCampaign;

beforeAll(async () => {
  [admin, researcher, outsider] = await Promise.all([
    createTestUser({ role: "admin" }),
    createTestUser({ role: "researcher" }),
    createTestUser({ role: "annotator" }),
  ]);
  members = await Promise.all([0, 1, 2].map(() => createTestUser({ role: "annotator" })));
  // 6 regular items × overlap 2 = 12 verdicts over 3 members: 4 each.
  campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 2, goldRate: 0 }, items: makePairwiseItems(6) });
  await addMembers(campaign.id, members);
});

afterAll(async () => {
  await disconnectPrisma();
});

async function judge(user: User, timeMs: number) {
  const task = await assignNextTask({ actor: actorFor(user), campaignId: campaign.id });
  expect(task).not.toBeNull();
  await submitJudgment({
    actor: actorFor(user),
    assignmentId: task!.assignmentId,
    input: { winner: task!.candidates[0]!.id, timeMs },
    idempotencyKey: randomUUID(),
  });
}

describe("my progress", () => {
  it("splits the human verdicts over the active members, with the median time per judgment", async () => {
    const [first] = members as [User];
    expect(await getMyProgress({ actor: actorFor(first), campaignId: campaign.id })).toEqual({
      judged: 0,
      share: 4,
      left: 4,
      medianSeconds: null,
      secondsLeft: null,
    });
    await judge(first, 10_000);
    await judge(first, 30_000);
    await judge(first, 20_000);
    expect(await getMyProgress({ actor: actorFor(first), campaignId: campaign.id })).toEqual({
      judged: 3,
      share: 4,
      left: 1,
      medianSeconds: 20,
      secondsLeft: 20,
    });
  });

  it("never promises more than what is still open to the annotator", async () => {
    const [, second, third] = members as [User, User, User];
    // The other two take 6 of the 9 verdicts still wanted.
    for (let i = 0; i < 4; i++) await judge(second, 5_000);
    for (let i = 0; i < 2; i++) await judge(third, 5_000);
    const second2 = await getMyProgress({ actor: actorFor(second), campaignId: campaign.id });
    // Second did their 4: nothing left for them, so their share is what they did.
    expect(second2).toMatchObject({ judged: 4, share: 4, left: 0, secondsLeft: 0 });
    const firstNow = await getMyProgress({ actor: actorFor(members[0]!), campaignId: campaign.id });
    expect(firstNow.left).toBeLessThanOrEqual(1);
    expect(firstNow.share).toBe(firstNow.judged + firstNow.left);
  });

  it("answers only whoever may annotate the campaign", async () => {
    await expect(getMyProgress({ actor: actorFor(outsider), campaignId: campaign.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(getMyProgress({ actor: actorFor(researcher), campaignId: campaign.id })).rejects.toBeInstanceOf(AppError);
    expect(await getMyProgress({ actor: actorFor(admin), campaignId: campaign.id })).toMatchObject({ judged: 0 });
  });
});

describe("computeMyProgress", () => {
  const base = {
    judged: 0,
    judgedGold: 0,
    activeMembers: 5,
    humanItems: 300,
    humanSlots: 900,
    goldItems: 30,
    openForMe: 300,
    goldOpenForMe: 30,
    medianMs: 16_000,
  };
  it("adds the gold the gold rate brings, at most the gold items", () => {
    // 900 / 5 = 180 regular; goldRate 0.1 adds 180 × 0.1 / 0.9 = 20 gold.
    expect(computeMyProgress(base, 0.1)).toEqual({ judged: 0, share: 200, left: 200, medianSeconds: 16, secondsLeft: 3200 });
    expect(computeMyProgress(base, 0.5).share).toBe(180 + 30);
    expect(computeMyProgress(base, 0).share).toBe(180);
  });
  it("keeps the share steady whether a judgment was gold or regular", () => {
    const regular = computeMyProgress({ ...base, judged: 1, openForMe: 299 }, 0.1);
    const gold = computeMyProgress({ ...base, judged: 1, judgedGold: 1, goldOpenForMe: 29 }, 0.1);
    expect(regular.share).toBe(200);
    expect(gold.share).toBe(200);
  });
  it("counts no more than the items still open to them", () => {
    expect(computeMyProgress({ ...base, judged: 150, openForMe: 7, goldOpenForMe: 0 }, 0.1)).toMatchObject({ share: 157, left: 7, secondsLeft: 112 });
  });
  it("caps one member's part at one verdict per item", () => {
    expect(computeMyProgress({ ...base, activeMembers: 1 }, 0).share).toBe(300);
  });
});
