import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { skipTask } from "../src/annotation/skip-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { undoJudgment } from "../src/annotation/undo-judgment.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makePairwiseItems, lapseSlotsFullMarks } from "../src/testing/builders.ts";

let admin: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  await disconnectPrisma();
});

async function scanFrom(campaignId: string, userId: string): Promise<number> {
  const member = await getPrisma().campaignMember.findUniqueOrThrow({ where: { campaignId_userId: { campaignId, userId } } });
  return member.scanFrom;
}

/** Regular items at or below the member's mark that they have neither judged nor skipped: must be none. */
async function itemsWronglyBelowMark(campaignId: string, userId: string): Promise<string[]> {
  const rows = await getPrisma().$queryRaw<Array<{ external_id: string }>>`
    SELECT i.external_id FROM items i JOIN campaign_members m ON m.campaign_id = i.campaign_id AND m.user_id = ${userId}
    WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold AND i.position <= m.scan_from
      AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId} AND a.status IN ('submitted', 'skipped'))`;
  return rows.map((r) => r.external_id);
}

/**
 * What a search from the very start picks: the lowest regular item with room that the member has
 * not done or leased, started items first (the campaign default, finishStartedFirst).
 */
async function firstOpenItem(campaignId: string, userId: string, overlap: number): Promise<string | null> {
  const [row] = await getPrisma().$queryRaw<Array<{ external_id: string }>>`
    SELECT i.external_id FROM items i
    WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
      AND i.human_count + (SELECT count(*) FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now()) < coalesce(i.human_target, ${overlap}::int)
      AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId}
                      AND (a.status IN ('submitted', 'skipped') OR (a.status = 'leased' AND a.expires_at > now())))
    ORDER BY i.human_count = 0, i.position LIMIT 1`;
  return row?.external_id ?? null;
}

async function expireLease(assignmentId: string): Promise<void> {
  await getPrisma().$executeRaw`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE id = ${assignmentId}::uuid`;
  await lapseSlotsFullMarks();
}

describe("the member's search mark (scan_from)", () => {
  it("moves past the items an annotator has done, so their search starts after them; undo moves it back", async () => {
    // Gold items at positions 3 and 7 never hold the mark back.
    const campaign = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 2, goldRate: 0 },
      items: makePairwiseItems(10, { gold: (i) => (i === 3 || i === 7 ? { winner: "a" } : null) }),
    });
    const [annotator] = await createTestUsers(1, { role: "annotator" });
    await addMembers(campaign.id, [annotator!]);
    const actor = actorFor(annotator!);
    expect(await scanFrom(campaign.id, annotator!.id)).toBe(-1);

    const order: string[] = [];
    let lastJudgment = "";
    let lastAssignment = "";
    for (let n = 0; n < 5; n++) {
      const task = (await assignNextTask({ actor, campaignId: campaign.id }))!;
      order.push(task.item.id);
      if (n === 1) {
        await skipTask({ actor, assignmentId: task.assignmentId, input: { reason: "unsure" } });
      } else {
        lastJudgment = (await submitJudgment({ actor, assignmentId: task.assignmentId, input: { winner: task.candidates[0]!.id } })).id;
        lastAssignment = task.assignmentId;
      }
    }
    expect(order).toEqual(["item-0", "item-1", "item-2", "item-4", "item-5"]);
    // The mark moves when the next search runs: items 0–2 and 4–5 are done (1 skipped), gold 3 does not count.
    const next = (await assignNextTask({ actor, campaignId: campaign.id }))!;
    expect(next.item.id).toBe("item-6");
    expect(await scanFrom(campaign.id, annotator!.id)).toBe(5);
    await expireLease(next.assignmentId);

    // Undo item-5: the mark drops below it; once the returned lease runs out, the search finds item-5 again.
    await undoJudgment({ actor, judgmentId: lastJudgment });
    expect(await scanFrom(campaign.id, annotator!.id)).toBe(4);
    await expireLease(lastAssignment);
    expect((await assignNextTask({ actor, campaignId: campaign.id }))!.item.id).toBe("item-5");
    expect(await itemsWronglyBelowMark(campaign.id, annotator!.id)).toEqual([]);
  });

  it("stops at an item the annotator never got (full when they came), and picks it up when it frees", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(4) });
    const [first, second] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [first!, second!]);
    const taken = (await assignNextTask({ actor: actorFor(first!), campaignId: campaign.id }))!;
    const judged = await submitJudgment({ actor: actorFor(first!), assignmentId: taken.assignmentId, input: { winner: taken.candidates[0]!.id } });
    expect(taken.item.id).toBe("item-0");
    for (const expected of ["item-1", "item-2"]) {
      const task = (await assignNextTask({ actor: actorFor(second!), campaignId: campaign.id }))!;
      expect(task.item.id).toBe(expected);
      await submitJudgment({ actor: actorFor(second!), assignmentId: task.assignmentId, input: { winner: task.candidates[0]!.id } });
    }
    // item-0 is not the second annotator's: their mark stays before it.
    expect((await assignNextTask({ actor: actorFor(second!), campaignId: campaign.id }))!.item.id).toBe("item-3");
    expect(await scanFrom(campaign.id, second!.id)).toBe(-1);
    // The first annotator takes their judgment back and walks away: item-0 is open again, and the second gets it.
    await undoJudgment({ actor: actorFor(first!), judgmentId: judged.id });
    await expireLease(taken.assignmentId);
    const mine = await getPrisma().assignment.findFirstOrThrow({ where: { campaignId: campaign.id, userId: second!.id, status: "leased" } });
    await expireLease(mine.id);
    expect((await assignNextTask({ actor: actorFor(second!), campaignId: campaign.id }))!.item.id).toBe("item-0");
  });

  it("always leaves the search where a search from the start would land, through a random mix of judgments, skips, undos and abandoned leases", async () => {
    const overlap = 2;
    const campaign = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap, goldRate: 0.15 },
      items: makePairwiseItems(24, { gold: (i) => (i % 9 === 4 ? { winner: "a" } : null) }),
    });
    const annotators = await createTestUsers(3, { role: "annotator" });
    await addMembers(campaign.id, annotators);
    let seed = 20261123;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lastJudgment = new Map<string, { id: string; assignmentId: string }>();
    const goldExternalIds = new Set(campaign.items.filter((i) => i.isGold).map((i) => i.externalId));

    for (let step = 0; step < 120; step++) {
      const user = annotators[Math.floor(random() * annotators.length)]!;
      const actor = actorFor(user);
      const roll = random();
      const undoable = lastJudgment.get(user.id);
      if (roll < 0.1 && undoable) {
        await undoJudgment({ actor, judgmentId: undoable.id });
        lastJudgment.delete(user.id);
        if (random() < 0.5) await expireLease(undoable.assignmentId);
        continue;
      }
      const open = await getPrisma().assignment.findFirst({
        where: { campaignId: campaign.id, userId: user.id, status: "leased", expiresAt: { gt: new Date() } },
      });
      const expected = open ? null : await firstOpenItem(campaign.id, user.id, overlap);
      const task = await assignNextTask({ actor, campaignId: campaign.id, random });
      if (!task) {
        expect(expected, `${user.email} got nothing at step ${step} though ${expected} was open`).toBeNull();
        continue;
      }
      // Gold draws are random by design; every other fresh task is the lowest open item.
      if (!open && !goldExternalIds.has(task.item.id)) expect(task.item.id, `step ${step}`).toBe(expected);
      const action = random();
      if (action < 0.15) {
        await skipTask({ actor, assignmentId: task.assignmentId, input: {} });
      } else if (action < 0.25) {
        await expireLease(task.assignmentId);
      } else {
        const stored = await submitJudgment({ actor, assignmentId: task.assignmentId, input: { winner: task.candidates[0]!.id } });
        lastJudgment.set(user.id, { id: stored.id, assignmentId: task.assignmentId });
      }
      for (const member of annotators) expect(await itemsWronglyBelowMark(campaign.id, member.id), `step ${step}`).toEqual([]);
    }
    const marks = await Promise.all(annotators.map((a) => scanFrom(campaign.id, a.id)));
    expect(Math.max(...marks)).toBeGreaterThan(0);
  });
});
