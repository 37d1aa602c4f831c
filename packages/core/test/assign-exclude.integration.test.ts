import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma } from "@arbiter/db";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, makePairwiseItems, lapseSlotsFullMarks } from "../src/testing/builders.ts";

afterAll(async () => {
  await disconnectPrisma();
});

describe("prefetch (`exclude`) after a lease ran out", () => {
  it("never hands back the item on screen, so the page's submission of it cannot race a re-lease of it", async () => {
    const admin = await createTestUser({ role: "admin" });
    const annotator = await createTestUser({ role: "annotator" });
    const campaign = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 1, goldRate: 0, leaseMinutes: 10 },
      items: makePairwiseItems(2),
    });
    await addMembers(campaign.id, [annotator]);
    const actor = actorFor(annotator, "token");

    const onScreen = (await assignNextTask({ actor, campaignId: campaign.id }))!;
    // The annotator was away (or the server was down) longer than the lease.
    await getPrisma().assignment.update({ where: { id: onScreen.assignmentId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await lapseSlotsFullMarks();

    const next = await assignNextTask({ actor, campaignId: campaign.id, exclude: [onScreen.assignmentId] });
    expect(next).not.toBeNull();
    expect(next!.assignmentId).not.toBe(onScreen.assignmentId);
    expect(next!.item.id).not.toBe(onScreen.item.id);

    // The late submission of the task on screen is still accepted (its item has a free slot).
    const sent = await submitJudgment({
      actor,
      assignmentId: onScreen.assignmentId,
      idempotencyKey: randomUUID(),
      input: { winner: onScreen.candidates[0]!.id },
    });
    expect(sent.id).toBeTruthy();
    // With both items taken, nothing is left, and the excluded item is not offered again.
    expect(await assignNextTask({ actor, campaignId: campaign.id, exclude: [next!.assignmentId] })).toBeNull();
  });
});
