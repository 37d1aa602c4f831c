import { randomUUID } from "node:crypto";
import { afterAll, expect } from "vitest";
import { disconnectPrisma, getPrisma } from "@arbiter/db";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { announceRaces, raceIt } from "./race-mode.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makePairwiseItems, lapseSlotsFullMarks } from "../src/testing/builders.ts";

// Found by `npm run test:cluster` (issue 22): under load, items ended with overlap + 1 judgments.
announceRaces("late-submit-race");

afterAll(async () => {
  await disconnectPrisma();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A submit whose transaction began while its lease was alive, but which reads the lease only
 * after it ran out and another annotator's next-task search took the slot: the submit must see
 * that slot taken. Judged on the transaction's start time (`now()`) and without the item's lock,
 * both judgments were stored and the item ended over its overlap.
 */
raceIt(
  "a submit that began before its lease ran out cannot push the item over its overlap once another annotator took the slot",
  async () => {
    const admin = await createTestUser({ role: "admin" });
    const campaign = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 1, goldRate: 0, leaseMinutes: 10 },
      items: makePairwiseItems(2),
    });
    const [late, other, next] = await createTestUsers(3, { role: "annotator" });
    await addMembers(campaign.id, [late!, other!, next!]);
    const prisma = getPrisma();

    const task = (await assignNextTask({ actor: actorFor(late!), campaignId: campaign.id }))!;
    // The lease runs out in a second.
    await prisma.$executeRaw`UPDATE assignments SET expires_at = clock_timestamp() + interval '1 second' WHERE id = ${task.assignmentId}::uuid`;
    await lapseSlotsFullMarks();
    const leasedAt = Date.now();

    // Another connection holds the assignment's row: the late submit begins now and waits.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const blocker = prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM assignments WHERE id = ${task.assignmentId}::uuid FOR UPDATE`;
        holding();
        await released;
      },
      { timeout: 30_000 },
    );
    await held;
    const input = { winner: task.candidates[0]!.id };
    const lateSubmit = submitJudgment({ actor: actorFor(late!), assignmentId: task.assignmentId, idempotencyKey: randomUUID(), input }).then(
      (r) => ({ ok: true as const, id: r.id }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await sleep(100);
    // While the lease is alive, a next-task call takes the other item (and sweeps leases: the next call within 2 s does not).
    expect((await assignNextTask({ actor: actorFor(other!), campaignId: campaign.id }))?.item.id).not.toBe(task.item.id);

    await sleep(Math.max(0, leasedAt + 1400 - Date.now()));
    // The lease has run out: a third annotator asks for work while the late submit still waits.
    const nextTask = assignNextTask({ actor: actorFor(next!), campaignId: campaign.id }).catch(() => null);
    await Promise.race([nextTask, sleep(500)]);
    release();
    await blocker;
    const lateResult = await lateSubmit;
    const taken = await nextTask;
    if (taken?.item.id === task.item.id) {
      await submitJudgment({
        actor: actorFor(next!),
        assignmentId: taken.assignmentId,
        idempotencyKey: randomUUID(),
        input: { winner: taken.candidates[0]!.id },
      }).catch(() => undefined);
    }

    const itemId = campaign.items.find((i) => i.externalId === task.item.id)!.id;
    const [row] = await prisma.$queryRaw<Array<{ judgments: number; counter: number }>>`
    SELECT (SELECT count(*)::int FROM judgments WHERE item_id = ${itemId}::uuid AND source = 'human') AS judgments, human_count AS counter FROM items WHERE id = ${itemId}::uuid`;
    expect(row, `late submit: ${lateResult.ok ? "stored" : String(lateResult.error)}; next task: ${taken?.item.id ?? "none"}`).toEqual({
      judgments: 1,
      counter: 1,
    });
  },
  30_000,
);
