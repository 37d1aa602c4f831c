import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { skipTask } from "../src/annotation/skip-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makePairwiseItems } from "../src/testing/builders.ts";

/**
 * items.slots_full_until: the lease that takes an item's last slot marks it, so searches pass over
 * it without counting its leases (the cost that grew with the number of annotators at work). It is
 * a hint: a skip clears it, it lapses within a minute, and the count under the row lock still
 * decides — a stale mark can delay an item, never over-fill it.
 */
let admin: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  await disconnectPrisma();
});

async function fullUntil(campaignId: string, externalId: string): Promise<Date | null> {
  const item = await getPrisma().item.findFirstOrThrow({ where: { campaignId, externalId } });
  return item.slotsFullUntil;
}

describe("the full-slots mark", () => {
  it("is set by the lease that takes the last slot, cleared by a skip, and the freed slot is handed out at once", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 2, goldRate: 0 }, items: makePairwiseItems(1) });
    const [a, b, c] = await createTestUsers(3, { role: "annotator" });
    await addMembers(campaign.id, [a!, b!, c!]);
    const first = (await assignNextTask({ actor: actorFor(a!), campaignId: campaign.id }))!;
    expect(await fullUntil(campaign.id, "item-0")).toBeNull();
    const second = (await assignNextTask({ actor: actorFor(b!), campaignId: campaign.id }))!;
    expect(second.item.id).toBe("item-0");
    const marked = await fullUntil(campaign.id, "item-0");
    expect(marked).not.toBeNull();
    const ahead = marked!.getTime() - Date.now();
    expect(ahead).toBeGreaterThan(30_000);
    expect(ahead).toBeLessThanOrEqual(61_000);
    // Both slots leased: nothing for a third annotator.
    expect(await assignNextTask({ actor: actorFor(c!), campaignId: campaign.id })).toBeNull();
    // A skip frees a slot and clears the mark: the third annotator gets the item now, not in a minute.
    await skipTask({ actor: actorFor(a!), assignmentId: first.assignmentId, input: { reason: "unsure" } });
    expect(await fullUntil(campaign.id, "item-0")).toBeNull();
    const third = await assignNextTask({ actor: actorFor(c!), campaignId: campaign.id });
    expect(third?.item.id).toBe("item-0");
    expect(await fullUntil(campaign.id, "item-0")).not.toBeNull();
  });

  it("a stale mark never over-fills: an item marked full while it has room stays at its overlap once the mark lapses", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 2, goldRate: 0 }, items: makePairwiseItems(2) });
    const users = await createTestUsers(4, { role: "annotator" });
    await addMembers(campaign.id, users);
    // Marked full by hand (as if a lease had run out since): the search passes over item-0 to item-1.
    await getPrisma()
      .$executeRaw`UPDATE items SET slots_full_until = now() + interval '1 hour' WHERE campaign_id = ${campaign.id}::uuid AND external_id = 'item-0'`;
    const passedOver = (await assignNextTask({ actor: actorFor(users[0]!), campaignId: campaign.id }))!;
    expect(passedOver.item.id).toBe("item-1");
    // The mark lapses: item-0 is offered again, and the count under the lock holds it to 2.
    await getPrisma()
      .$executeRaw`UPDATE items SET slots_full_until = now() - interval '1 second' WHERE campaign_id = ${campaign.id}::uuid AND external_id = 'item-0'`;
    const handedOut: string[] = [];
    for (const user of users.slice(1)) {
      const task = await assignNextTask({ actor: actorFor(user), campaignId: campaign.id });
      if (task) {
        handedOut.push(task.item.id);
        await submitJudgment({ actor: actorFor(user), assignmentId: task.assignmentId, input: { winner: task.candidates[0]!.id } });
      }
    }
    expect(handedOut.filter((id) => id === "item-0")).toHaveLength(2);
    const item = await getPrisma().item.findFirstOrThrow({ where: { campaignId: campaign.id, externalId: "item-0" } });
    expect(item.humanCount).toBe(2);
  });
});
