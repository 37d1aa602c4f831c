import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { undoJudgment } from "../src/annotation/undo-judgment.ts";
import { announceRaces, raceIt } from "./race-mode.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makePairwiseItems, lapseSlotsFullMarks } from "../src/testing/builders.ts";

// The embedded PGlite serves one connection: nothing here races there. Rather than shrink and pass
// silently, the race tests are skipped by name and the file says so loudly (race-mode.ts).
announceRaces("assignment-concurrency");
const swarm = { annotators: 50, items: 40 };
const overlap = 3;

let admin: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  await disconnectPrisma();
});

interface Ack {
  userId: string;
  assignmentId: string;
  itemId: string;
  id: string;
}

describe("assignment under concurrency", () => {
  raceIt(
    `${swarm.annotators} annotators finish ${swarm.items} items at overlap ${overlap} without over-assignment or duplicates`,
    async () => {
      const campaign = await createTestCampaign({
        admin,
        taskType: "pairwise",
        config: { overlap, goldRate: 0, leaseMinutes: 10 },
        items: makePairwiseItems(swarm.items),
      });
      const annotators = await createTestUsers(swarm.annotators, { role: "annotator" });
      await addMembers(campaign.id, annotators);
      const itemIdByExternal = new Map(campaign.items.map((i) => [i.externalId, i.id]));

      const acks: Ack[] = [];
      const replays: Array<{ first: string; second: string; replayed: boolean[] }> = [];
      const seenByUser = new Map<string, Set<string>>();

      async function annotate(user: User, index: number) {
        const actor = actorFor(user);
        const seen = new Set<string>();
        seenByUser.set(user.id, seen);
        for (let round = 0; ; round++) {
          const task = await assignNextTask({ actor, campaignId: campaign.id });
          if (!task) return;
          const itemId = itemIdByExternal.get(task.item.id);
          expect(itemId, "task item belongs to the campaign").toBeDefined();
          expect(seen.has(task.item.id), `${user.email} was offered ${task.item.id} twice`).toBe(false);
          seen.add(task.item.id);
          const [first, second] = task.candidates;
          const input = { winner: (round + index) % 5 === 0 ? "tie" : ((round + index) % 2 === 0 ? first : second)!.id, timeMs: 1000 + round };
          const key = randomUUID();
          if ((round + index) % 4 === 0) {
            // A double click: the same Idempotency-Key twice at once must yield one judgment.
            const results = await Promise.all([
              submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: key, input }),
              submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: key, input }),
            ]);
            replays.push({ first: results[0].id, second: results[1].id, replayed: results.map((r) => r.replayed) });
            acks.push({ userId: user.id, assignmentId: task.assignmentId, itemId: itemId!, id: results[0].id });
          } else {
            const result = await submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: key, input });
            expect(result.replayed).toBe(false);
            acks.push({ userId: user.id, assignmentId: task.assignmentId, itemId: itemId!, id: result.id });
            if (round % 3 === 1) {
              const again = await submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: key, input });
              replays.push({ first: result.id, second: again.id, replayed: [false, again.replayed] });
            }
          }
        }
      }

      // Wait for every annotator before judging, so a failure leaves no work running into the next test.
      const outcomes = await Promise.allSettled(annotators.map((user, index) => annotate(user, index)));
      const failures = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
      if (failures.length > 0) throw failures[0];

      const prisma = getPrisma();
      const expected = swarm.items * overlap;

      // "Nothing left" (204) must be final: asking again after everyone stopped gives nobody a task.
      const lateTasks = [];
      for (const user of annotators) {
        const task = await assignNextTask({ actor: actorFor(user), campaignId: campaign.id });
        if (task) lateTasks.push(`${user.email} → ${task.item.id}`);
      }
      expect(lateTasks, "annotators were told nothing was left while these items still had room for them").toEqual([]);

      // Every acknowledged id is a distinct judgment that exists exactly once.
      expect(new Set(acks.map((a) => a.id)).size).toBe(acks.length);
      const rows = await prisma.judgment.findMany({ where: { campaignId: campaign.id } });
      expect(rows).toHaveLength(expected);
      const rowById = new Map(rows.map((r) => [r.id, r]));
      for (const ack of acks) {
        const row = rowById.get(ack.id);
        expect(row, `acknowledged judgment ${ack.id} is stored`).toBeDefined();
        expect(row).toMatchObject({ userId: ack.userId, assignmentId: ack.assignmentId, itemId: ack.itemId, source: "human" });
      }
      expect(acks).toHaveLength(expected);

      // Replays returned the first id and wrote nothing.
      expect(replays.length).toBeGreaterThan(0);
      for (const replay of replays) {
        expect(replay.second).toBe(replay.first);
        expect(replay.replayed.filter((r) => !r)).toHaveLength(1);
      }

      // No item went past its overlap, counted both ways, and the counter matches the rows.
      const perItem = await prisma.$queryRaw<Array<{ id: string; human_count: number; rows: bigint }>>`
      SELECT i.id, i.human_count, (SELECT count(*) FROM judgments j WHERE j.item_id = i.id) AS rows
      FROM items i WHERE i.campaign_id = ${campaign.id}::uuid`;
      expect(perItem).toHaveLength(swarm.items);
      for (const item of perItem) {
        expect(item.human_count).toBe(overlap);
        expect(Number(item.rows)).toBe(overlap);
      }

      // Nobody got an item twice: one assignment and one judgment per (item, user), none left open.
      const duplicateAssignments = await prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM (SELECT item_id, user_id FROM assignments WHERE campaign_id = ${campaign.id}::uuid GROUP BY 1, 2 HAVING count(*) > 1) d`;
      expect(Number(duplicateAssignments[0]?.n)).toBe(0);
      const duplicateJudgments = await prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM (SELECT item_id, user_id FROM judgments WHERE campaign_id = ${campaign.id}::uuid GROUP BY 1, 2 HAVING count(*) > 1) d`;
      expect(Number(duplicateJudgments[0]?.n)).toBe(0);
      const statuses = await prisma.assignment.groupBy({ by: ["status"], where: { campaignId: campaign.id }, _count: true });
      expect(statuses).toEqual([{ status: "submitted", _count: expected }]);
    },
    120_000,
  );
});

describe("one annotator, several requests at once", () => {
  raceIt("gives two tabs asking at once the same lease", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 2, goldRate: 0 }, items: makePairwiseItems(5) });
    const alice = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [alice]);
    const tasks = await Promise.all(Array.from({ length: 5 }, () => assignNextTask({ actor: actorFor(alice), campaignId: campaign.id })));
    expect(new Set(tasks.map((t) => t?.assignmentId)).size).toBe(1);
    expect(await getPrisma().assignment.count({ where: { campaignId: campaign.id, userId: alice.id } })).toBe(1);
  });

  raceIt("stores one judgment when two different keys race on one assignment; the other gets 409", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 2, goldRate: 0 }, items: makePairwiseItems(1) });
    const alice = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [alice]);
    const task = (await assignNextTask({ actor: actorFor(alice), campaignId: campaign.id }))!;
    const outcomes = await Promise.allSettled(
      task.candidates.map((c) =>
        submitJudgment({ actor: actorFor(alice), assignmentId: task.assignmentId, idempotencyKey: randomUUID(), input: { winner: c.id } }),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "conflict" });
    expect(await getPrisma().judgment.count({ where: { assignmentId: task.assignmentId } })).toBe(1);
    expect((await getPrisma().item.findUniqueOrThrow({ where: { id: campaign.items[0]!.id } })).humanCount).toBe(1);
  });

  raceIt("never stores an undone judgment again when a replay of its key races the undo", async () => {
    const rounds = 20;
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(1) });
    const alice = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [alice]);
    const actor = actorFor(alice);
    const task = (await assignNextTask({ actor, campaignId: campaign.id }))!;
    const input = { winner: task.candidates[0]!.id };
    const seen = { replayedBeforeUndo: 0, spent: 0 };
    for (let round = 0; round < rounds; round++) {
      const key = randomUUID();
      const { id } = await submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: key, input });
      // The replay starts 0–27 ms after the undo, so it lands before, inside and after the undo's transaction.
      const [undo, replay] = await Promise.allSettled([
        undoJudgment({ actor, judgmentId: id }),
        new Promise((resolve) => setTimeout(resolve, (round % 10) * 3)).then(() =>
          submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: key, input }),
        ),
      ]);
      expect(undo.status).toBe("fulfilled");
      if (replay.status === "fulfilled") {
        // The replay ran first: it answered with the judgment the undo then took back.
        expect(replay.value).toEqual({ id, replayed: true });
        seen.replayedBeforeUndo++;
      } else {
        expect(replay.reason).toMatchObject({ code: "idempotency_key_spent", status: 409 });
        seen.spent++;
      }
      expect(await getPrisma().judgment.count({ where: { assignmentId: task.assignmentId } })).toBe(0);
      expect((await getPrisma().item.findUniqueOrThrow({ where: { id: campaign.items[0]!.id } })).humanCount).toBe(0);
      // Replayed once more, after both are done, the key is spent for good.
      await expect(submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: key, input })).rejects.toMatchObject({
        code: "idempotency_key_spent",
      });
    }
    expect(seen.replayedBeforeUndo + seen.spent).toBe(rounds);
  });
});

describe("abandoned work under concurrency", () => {
  const crowd = { annotators: 20, items: 15, quitters: 6 };

  raceIt(
    `${crowd.quitters} of ${crowd.annotators} annotators walk away holding leases; once those expire the rest finish every item`,
    async () => {
      const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 2, goldRate: 0 }, items: makePairwiseItems(crowd.items) });
      const annotators = await createTestUsers(crowd.annotators, { role: "annotator" });
      await addMembers(campaign.id, annotators);
      const quitters = annotators.slice(0, crowd.quitters);
      const stayers = annotators.slice(crowd.quitters);
      const prisma = getPrisma();

      const work = async (user: User) => {
        const actor = actorFor(user);
        for (;;) {
          const task = await assignNextTask({ actor, campaignId: campaign.id });
          if (!task) return;
          await submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: randomUUID(), input: { winner: task.candidates[0]!.id } });
        }
      };
      // The quitters each take one task and leave; the others work until nothing is left for them.
      const abandoned = await Promise.all(quitters.map((user) => assignNextTask({ actor: actorFor(user), campaignId: campaign.id })));
      expect(
        abandoned.filter((t) => t === null),
        "annotators asking at the same moment were told a fresh campaign had nothing left",
      ).toHaveLength(0);
      await Promise.all(stayers.map(work));
      const open = await prisma.assignment.count({ where: { campaignId: campaign.id, status: "leased" } });
      expect(open).toBe(crowd.quitters);
      expect(await prisma.judgment.count({ where: { campaignId: campaign.id } })).toBe(crowd.items * 2 - crowd.quitters);

      await prisma.$executeRaw`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE campaign_id = ${campaign.id}::uuid AND status = 'leased'`;
      await lapseSlotsFullMarks();
      await Promise.all(stayers.map(work));

      expect(await prisma.judgment.count({ where: { campaignId: campaign.id } })).toBe(crowd.items * 2);
      const counts = await prisma.item.findMany({ where: { campaignId: campaign.id }, select: { humanCount: true } });
      expect(counts.every((c) => c.humanCount === 2)).toBe(true);
      const abandonedIds = abandoned.map((t) => t!.assignmentId);
      expect(await prisma.judgment.count({ where: { assignmentId: { in: abandonedIds } } })).toBe(0);
      // A quitter who comes back late finds the item completed by others.
      const late = submitJudgment({
        actor: actorFor(quitters[0]!),
        assignmentId: abandonedIds[0]!,
        idempotencyKey: randomUUID(),
        input: { winner: abandoned[0]!.candidates[0]!.id },
      });
      await expect(late).rejects.toMatchObject({ code: "conflict" });
    },
    120_000,
  );
});

describe("lease expiry", () => {
  async function expireLease(assignmentId: string) {
    await getPrisma().$executeRaw`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE id = ${assignmentId}::uuid`;
    await lapseSlotsFullMarks();
  }

  it("returns an abandoned task to the pool and gives it back to its first annotator too", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(1) });
    const [alice, bob] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [alice!, bob!]);

    const leased = await assignNextTask({ actor: actorFor(alice!), campaignId: campaign.id });
    expect(leased?.item.id).toBe("item-0");
    expect(await assignNextTask({ actor: actorFor(bob!), campaignId: campaign.id })).toBeNull();

    await expireLease(leased!.assignmentId);
    const taken = await assignNextTask({ actor: actorFor(bob!), campaignId: campaign.id });
    expect(taken?.item.id).toBe("item-0");
    expect(taken?.assignmentId).not.toBe(leased!.assignmentId);

    // Bob abandons it as well: Alice may take the same item again, on her old assignment row.
    await expireLease(taken!.assignmentId);
    const again = await assignNextTask({ actor: actorFor(alice!), campaignId: campaign.id });
    expect(again?.assignmentId).toBe(leased!.assignmentId);
    expect(new Date(again!.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it("expires a lease after leaseMinutes of wall-clock time", async () => {
    const campaign = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 1, goldRate: 0, leaseMinutes: 0.05 },
      items: makePairwiseItems(1),
    });
    const [alice, bob] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [alice!, bob!]);
    const leased = await assignNextTask({ actor: actorFor(alice!), campaignId: campaign.id });
    const expiresIn = new Date(leased!.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(1_000);
    expect(expiresIn).toBeLessThanOrEqual(3_000);
    expect(await assignNextTask({ actor: actorFor(bob!), campaignId: campaign.id })).toBeNull();
    await expect.poll(() => assignNextTask({ actor: actorFor(bob!), campaignId: campaign.id }), { timeout: 10_000, interval: 500 }).not.toBeNull();
  });

  it("accepts a judgment on an expired lease while the item has room", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 2, goldRate: 0 }, items: makePairwiseItems(1) });
    const [alice, bob] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [alice!, bob!]);
    const leased = await assignNextTask({ actor: actorFor(alice!), campaignId: campaign.id });
    await expireLease(leased!.assignmentId);
    // Another annotator asking marks the lease expired; one slot is still free for Alice.
    expect(await assignNextTask({ actor: actorFor(bob!), campaignId: campaign.id })).not.toBeNull();

    const result = await submitJudgment({
      actor: actorFor(alice!),
      assignmentId: leased!.assignmentId,
      idempotencyKey: randomUUID(),
      input: { winner: leased!.candidates[0]!.id },
    });
    expect(result.replayed).toBe(false);
    const item = await getPrisma().item.findUniqueOrThrow({ where: { id: campaign.items[0]!.id } });
    expect(item.humanCount).toBe(1);
  });

  it("refuses a judgment on an expired lease with 409 once others have filled the item", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(1) });
    const [alice, bob] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [alice!, bob!]);
    const leased = await assignNextTask({ actor: actorFor(alice!), campaignId: campaign.id });
    await expireLease(leased!.assignmentId);
    const taken = await assignNextTask({ actor: actorFor(bob!), campaignId: campaign.id });

    // Bob's open lease already holds the only slot.
    const late = submitJudgment({
      actor: actorFor(alice!),
      assignmentId: leased!.assignmentId,
      idempotencyKey: randomUUID(),
      input: { winner: leased!.candidates[0]!.id },
    });
    await expect(late).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/expired/) });

    await submitJudgment({
      actor: actorFor(bob!),
      assignmentId: taken!.assignmentId,
      idempotencyKey: randomUUID(),
      input: { winner: taken!.candidates[1]!.id },
    });
    const afterFull = submitJudgment({
      actor: actorFor(alice!),
      assignmentId: leased!.assignmentId,
      idempotencyKey: randomUUID(),
      input: { winner: leased!.candidates[0]!.id },
    });
    await expect(afterFull).rejects.toBeInstanceOf(AppError);
    await expect(afterFull).rejects.toMatchObject({ code: "conflict", status: 409 });
    const item = await getPrisma().item.findUniqueOrThrow({ where: { id: campaign.items[0]!.id } });
    expect(item.humanCount).toBe(1);
    expect(await getPrisma().judgment.count({ where: { itemId: item.id } })).toBe(1);
  });
});
