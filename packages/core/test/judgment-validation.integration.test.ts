import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import type { Actor } from "../src/access/actor.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { skipTask } from "../src/annotation/skip-task.ts";
import { UNDO_WINDOW_MS, undoJudgment } from "../src/annotation/undo-judgment.ts";
import type { TaskView } from "../src/annotation/task-view.ts";
import { setCampaignStatus } from "../src/campaigns/set-campaign-status.ts";
import {
  actorFor,
  addMembers,
  createTestCampaign,
  createTestUser,
  createTestUsers,
  makeKwiseItems,
  makePairwiseItems,
  type TestCampaign,
  lapseSlotsFullMarks,
} from "../src/testing/builders.ts";

let admin: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  await disconnectPrisma();
});

async function lease(user: User, campaign: TestCampaign, random?: () => number): Promise<TaskView> {
  const task = await assignNextTask({ actor: actorFor(user), campaignId: campaign.id, random });
  if (!task) throw new Error(`no task for ${user.email} in ${campaign.view.name}`);
  return task;
}

function submit(user: User | Actor, assignmentId: string, input: unknown, idempotencyKey: string | null = randomUUID()) {
  const actor = "userId" in user ? user : actorFor(user);
  return submitJudgment({ actor, assignmentId, idempotencyKey, input });
}

/** Runs the call and returns the AppError it must throw. */
async function appError(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail with an AppError").toBeInstanceOf(AppError);
  return error as AppError;
}

async function expireLease(assignmentId: string) {
  await getPrisma().$executeRaw`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE id = ${assignmentId}::uuid`;
  await lapseSlotsFullMarks();
}

describe("invalid judgments are refused with 422, every problem listed", () => {
  let annotator: User;
  let pairwise: TestCampaign;
  let kwise: TestCampaign;
  let rationale: TestCampaign;
  let pairTask: TaskView;
  let kwiseTask: TaskView;
  let rationaleTask: TaskView;

  beforeAll(async () => {
    annotator = await createTestUser({ role: "annotator" });
    [pairwise, kwise, rationale] = await Promise.all([
      createTestCampaign({
        admin,
        taskType: "pairwise",
        config: { overlap: 2, goldRate: 0, allowTie: false, strengthScale: false, rationale: "optional", rationaleMinLength: 10 },
        items: makePairwiseItems(2),
      }),
      createTestCampaign({ admin, taskType: "kwise", config: { overlap: 2, goldRate: 0, k: 3, allowTie: false }, items: makeKwiseItems(2, 3) }),
      createTestCampaign({ admin, taskType: "rationale", config: { overlap: 2, goldRate: 0, rationaleMinLength: 20 }, items: makePairwiseItems(2) }),
    ]);
    for (const c of [pairwise, kwise, rationale]) await addMembers(c.id, [annotator]);
    pairTask = await lease(annotator, pairwise);
    kwiseTask = await lease(annotator, kwise);
    rationaleTask = await lease(annotator, rationale);
  });

  const ids = (task: TaskView) => task.candidates.map((c) => c.id);

  it("names an unknown candidate id", async () => {
    const error = await appError(submit(annotator, pairTask.assignmentId, { winner: "not-a-candidate" }));
    expect(error.code).toBe("unprocessable");
    expect(error.status).toBe(422);
    expect(error.message).toBe("Invalid judgment: winner: unknown candidate id not-a-candidate");
    expect(error.details).toEqual([{ path: "winner", message: "unknown candidate id not-a-candidate" }]);
  });

  it("refuses a tie, a strength and a ranking where the campaign does not take them", async () => {
    const tie = await appError(submit(annotator, pairTask.assignmentId, { winner: "tie" }));
    expect(tie.details).toEqual([{ path: "winner", message: "ties are not allowed in this campaign" }]);

    const strength = await appError(submit(annotator, pairTask.assignmentId, { winner: ids(pairTask)[0], strength: 2 }));
    expect(strength.details).toEqual([{ path: "strength", message: "this campaign does not use a strength scale" }]);

    const ranking = await appError(submit(annotator, pairTask.assignmentId, { ranking: [[ids(pairTask)[0]]] }));
    expect(ranking.details).toEqual(
      expect.arrayContaining([
        { path: "ranking", message: "pairwise tasks take a winner, not a ranking" },
        { path: "winner", message: "winner is required" },
      ]),
    );
  });

  it("refuses an optional rationale that is given but too short", async () => {
    const short = await appError(submit(annotator, pairTask.assignmentId, { winner: ids(pairTask)[0], rationale: " meh " }));
    expect(short.details).toEqual([{ path: "rationale", message: "a rationale, when given, needs at least 10 characters (got 3)" }]);
  });

  it("refuses payloads outside the schema with the offending path", async () => {
    const extra = await appError(submit(annotator, pairTask.assignmentId, { winner: ids(pairTask)[0], colour: "blue" }));
    expect(extra.code).toBe("unprocessable");
    expect(extra.message).toMatch(/^Invalid judgment/);
    expect(extra.message).toMatch(/colour/);

    const outOfScale = await appError(submit(annotator, pairTask.assignmentId, { winner: ids(pairTask)[0], strength: 7 }));
    expect(outOfScale.details).toEqual([expect.objectContaining({ path: "strength" })]);

    const notAnObject = await appError(submit(annotator, pairTask.assignmentId, "A is better"));
    expect(notAnObject.code).toBe("unprocessable");
  });

  it("refuses a ranking that leaves a candidate out, names one twice, or ties when ties are off", async () => {
    const [a, b, c] = ids(kwiseTask) as [string, string, string];
    const missing = await appError(submit(annotator, kwiseTask.assignmentId, { ranking: [[a], [b]] }));
    expect(missing.details).toEqual([{ path: "ranking", message: `candidate ${c} is missing from the ranking` }]);

    const twice = await appError(submit(annotator, kwiseTask.assignmentId, { ranking: [[a], [b], [a]] }));
    expect(twice.details).toEqual([
      { path: "ranking.2.0", message: `candidate ${a} is named twice` },
      { path: "ranking", message: `candidate ${c} is missing from the ranking` },
    ]);

    const tied = await appError(submit(annotator, kwiseTask.assignmentId, { ranking: [[a, b], [c]] }));
    expect(tied.details).toEqual([{ path: "ranking", message: "ties are not allowed in this campaign" }]);

    const stranger = await appError(submit(annotator, kwiseTask.assignmentId, { ranking: [[a], [b], [c], ["someone-else"]] }));
    expect(stranger.details).toEqual([{ path: "ranking.3.0", message: "unknown candidate id someone-else" }]);

    const winner = await appError(submit(annotator, kwiseTask.assignmentId, { winner: a }));
    expect(winner.details).toEqual(expect.arrayContaining([{ path: "winner", message: "K-wise tasks take a ranking, not a winner" }]));
  });

  it("refuses a rationale under the minimum, out-of-range or unknown attributes, and bad spans", async () => {
    const [a, b] = ids(rationaleTask) as [string, string];
    const contentA = rationaleTask.candidates[0]!.content;
    const good = "A answers the question directly and correctly.";

    const short = await appError(submit(annotator, rationaleTask.assignmentId, { winner: a, rationale: "A is better" }));
    expect(short.details).toEqual([{ path: "rationale", message: "a rationale of at least 20 characters is required (got 11)" }]);

    const missing = await appError(submit(annotator, rationaleTask.assignmentId, { winner: a }));
    expect(missing.message).toBe("Invalid judgment: rationale: a rationale of at least 20 characters is required (got 0)");

    const attributes = await appError(
      submit(annotator, rationaleTask.assignmentId, {
        winner: a,
        rationale: good,
        attributes: { [a]: { helpfulness: 5, charm: 2 }, [b]: { correctness: -1 }, ghost: { coherence: 2 } },
      }),
    );
    expect(attributes.details).toEqual(
      expect.arrayContaining([
        { path: `attributes.${a}.helpfulness`, message: "helpfulness must be between 0 and 4" },
        { path: `attributes.${a}.charm`, message: "unknown attribute charm" },
        { path: `attributes.${b}.correctness`, message: "correctness must be between 0 and 4" },
        { path: "attributes.ghost", message: "unknown candidate id ghost" },
      ]),
    );
    expect(attributes.details).toHaveLength(4);

    const spans = await appError(
      submit(annotator, rationaleTask.assignmentId, {
        winner: a,
        rationale: good,
        spans: [
          { candidateId: a, start: 0, end: contentA.length + 5, label: "incorrect" },
          { candidateId: a, start: 3, end: 3, label: "good" },
          { candidateId: a, start: 0, end: 2, label: "hilarious" },
          { candidateId: "ghost", start: 0, end: 2, label: "good" },
        ],
      }),
    );
    expect(spans.details).toEqual([
      { path: "spans.0", message: `span 0–${contentA.length + 5} is outside the response (length ${contentA.length})` },
      { path: "spans.1", message: `span 3–3 is outside the response (length ${contentA.length})` },
      { path: "spans.2.label", message: "unknown span label hilarious; allowed: incorrect, irrelevant, unsafe, good" },
      { path: "spans.3.candidateId", message: "unknown candidate id ghost" },
    ]);
  });

  it("stored nothing for refused payloads, and still takes a valid judgment on the same lease", async () => {
    const prisma = getPrisma();
    expect(await prisma.judgment.count({ where: { userId: annotator.id } })).toBe(0);
    const [a, b] = ids(rationaleTask) as [string, string];
    const input = {
      winner: a,
      rationale: "  A answers the question directly and correctly.  ",
      attributes: { [a]: { helpfulness: 4, verbosity: 0 }, [b]: { helpfulness: 1 } },
      spans: [{ candidateId: b, start: 0, end: 4, label: "incorrect" }],
      timeMs: 4200,
    };
    const { id } = await submit(annotator, rationaleTask.assignmentId, input);
    const row = await prisma.judgment.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      verdict: "winner",
      winnerId: a,
      rationale: "A answers the question directly and correctly.",
      attributes: input.attributes,
      spans: input.spans,
      timeMs: 4200,
      presentedOrder: [a, b],
    });
  });
});

describe("leases, ownership and idempotency keys", () => {
  let campaign: TestCampaign;
  let alice: User;
  let bob: User;
  let carol: User;

  beforeAll(async () => {
    campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(6) });
    [alice, bob, carol] = (await createTestUsers(3, { role: "annotator" })) as [User, User, User];
    await addMembers(campaign.id, [alice, bob, carol]);
  });

  it("answers a foreign lease with 403 and an unknown assignment with 404", async () => {
    const task = await lease(alice, campaign);
    const foreign = await appError(submit(bob, task.assignmentId, { winner: task.candidates[0]!.id }));
    expect(foreign).toMatchObject({ code: "forbidden", status: 403, message: "This assignment belongs to another annotator." });
    expect((await appError(submit(bob, randomUUID(), { winner: "x" }))).code).toBe("not_found");
    expect((await appError(submit(bob, "not-a-uuid", { winner: "x" }))).code).toBe("not_found");
    expect((await appError(skipTask({ actor: actorFor(bob), assignmentId: task.assignmentId, input: {} }))).code).toBe("forbidden");
    await submit(alice, task.assignmentId, { winner: task.candidates[0]!.id });
  });

  it("answers an expired lease on a full item with 409", async () => {
    const task = await lease(alice, campaign);
    await expireLease(task.assignmentId);
    const other = await lease(bob, campaign);
    expect(other.item.id).toBe(task.item.id);
    await submit(bob, other.assignmentId, { winner: other.candidates[0]!.id });
    const late = await appError(submit(alice, task.assignmentId, { winner: task.candidates[0]!.id }));
    expect(late).toMatchObject({ code: "conflict", status: 409, message: "Your lease on this task expired and the item has since been completed by others." });
  });

  it("refuses a judgment on a skipped assignment", async () => {
    const task = await lease(carol, campaign);
    await skipTask({ actor: actorFor(carol), assignmentId: task.assignmentId, input: { reason: "I cannot read this language" } });
    const error = await appError(submit(carol, task.assignmentId, { winner: task.candidates[0]!.id }));
    expect(error).toMatchObject({ code: "conflict", message: "This assignment was skipped." });
  });

  it("replays a key on its own assignment, refuses it on another, and refuses a second judgment", async () => {
    const key = randomUUID();
    const first = await lease(carol, campaign);
    const stored = await submit(carol, first.assignmentId, { winner: first.candidates[1]!.id }, key);
    expect(stored.replayed).toBe(false);
    const replay = await submit(carol, first.assignmentId, { winner: first.candidates[0]!.id }, key);
    expect(replay).toEqual({ id: stored.id, replayed: true });

    const second = await lease(carol, campaign);
    expect(second.assignmentId).not.toBe(first.assignmentId);
    const reused = await appError(submit(carol, second.assignmentId, { winner: second.candidates[0]!.id }, key));
    expect(reused).toMatchObject({ code: "conflict", status: 409, message: "This Idempotency-Key was already used for another assignment." });

    const again = await appError(submit(carol, first.assignmentId, { winner: first.candidates[0]!.id }, randomUUID()));
    expect(again).toMatchObject({ code: "conflict", message: "This assignment already has a judgment; undo it first to change it." });
    const unkeyed = await appError(submit(carol, first.assignmentId, { winner: first.candidates[0]!.id }, null));
    expect(unkeyed.code).toBe("conflict");
    expect(await getPrisma().judgment.count({ where: { assignmentId: first.assignmentId } })).toBe(1);
    await submit(carol, second.assignmentId, { winner: second.candidates[0]!.id });
  });

  it("refuses a malformed Idempotency-Key before touching the assignment", async () => {
    const task = await lease(alice, campaign);
    const input = { winner: task.candidates[0]!.id };
    const tooShort = await appError(submit(alice, task.assignmentId, input, "abc"));
    expect(tooShort).toMatchObject({ code: "unprocessable", message: "Invalid Idempotency-Key header: Idempotency-Key must be 8–200 characters" });
    const spaces = await appError(submit(alice, task.assignmentId, input, "my key with spaces"));
    expect(spaces.message).toBe("Invalid Idempotency-Key header: Idempotency-Key must be printable ASCII");
    const unicode = await appError(submit(alice, task.assignmentId, input, "ключ-идемпотентности"));
    expect(unicode.details).toEqual([{ path: "", message: "Idempotency-Key must be printable ASCII" }]);
    expect((await appError(submit(alice, task.assignmentId, input, "k".repeat(201)))).code).toBe("unprocessable");
    expect(await getPrisma().judgment.count({ where: { assignmentId: task.assignmentId } })).toBe(0);
    await submit(alice, task.assignmentId, input);
  });
});

describe("skip and undo", () => {
  it("never offers a skipped item to the same annotator again, but frees its slot for others", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(2) });
    const [alice, bob] = (await createTestUsers(2, { role: "annotator" })) as [User, User];
    await addMembers(campaign.id, [alice, bob]);

    const skipped = await lease(alice, campaign);
    expect(skipped.item.id).toBe("item-0");
    const result = await skipTask({ actor: actorFor(alice), assignmentId: skipped.assignmentId, input: { reason: "  off topic " } });
    expect(result).toEqual({ ok: true, assignmentId: skipped.assignmentId });
    expect(await skipTask({ actor: actorFor(alice), assignmentId: skipped.assignmentId, input: {} })).toEqual(result);
    expect(await getPrisma().assignment.findUniqueOrThrow({ where: { id: skipped.assignmentId } })).toMatchObject({
      status: "skipped",
      skipReason: "off topic",
    });

    const next = await lease(alice, campaign);
    expect(next.item.id).toBe("item-1");
    await submit(alice, next.assignmentId, { winner: next.candidates[0]!.id });
    expect(await assignNextTask({ actor: actorFor(alice), campaignId: campaign.id })).toBeNull();
    expect((await appError(skipTask({ actor: actorFor(alice), assignmentId: next.assignmentId, input: {} }))).code).toBe("conflict");

    const forBob = await lease(bob, campaign);
    expect(forBob.item.id).toBe("item-0");
  });

  it("undoes a judgment within the window: the count drops and the same task is leased again", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(2) });
    const [alice, bob] = (await createTestUsers(2, { role: "annotator" })) as [User, User];
    await addMembers(campaign.id, [alice, bob]);
    const prisma = getPrisma();

    const task = await lease(alice, campaign);
    const { id } = await submit(alice, task.assignmentId, { winner: task.candidates[0]!.id });
    const itemId = campaign.items.find((i) => i.externalId === task.item.id)!.id;
    expect((await prisma.item.findUniqueOrThrow({ where: { id: itemId } })).humanCount).toBe(1);

    expect((await appError(undoJudgment({ actor: actorFor(bob), judgmentId: id }))).code).toBe("not_found");
    expect(await undoJudgment({ actor: actorFor(alice), judgmentId: id })).toEqual({ ok: true, assignmentId: task.assignmentId });
    expect((await prisma.item.findUniqueOrThrow({ where: { id: itemId } })).humanCount).toBe(0);
    expect(await prisma.judgment.findUnique({ where: { id } })).toBeNull();
    expect(await prisma.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).toMatchObject({ status: "leased", completedAt: null });

    const again = await lease(alice, campaign);
    expect(again.assignmentId).toBe(task.assignmentId);
    expect(again.item.id).toBe(task.item.id);
    const changed = await submit(alice, again.assignmentId, { winner: task.candidates[1]!.id });
    expect(changed.id).not.toBe(id);
    expect((await prisma.item.findUniqueOrThrow({ where: { id: itemId } })).humanCount).toBe(1);
  });

  it("refuses an undo after the window with 409", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(1) });
    const alice = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [alice]);
    const task = await lease(alice, campaign);
    const { id } = await submit(alice, task.assignmentId, { winner: task.candidates[0]!.id });
    const row = await getPrisma().judgment.findUniqueOrThrow({ where: { id } });
    const late = await appError(undoJudgment({ actor: actorFor(alice), judgmentId: id, now: new Date(row.createdAt.getTime() + UNDO_WINDOW_MS + 1_000) }));
    expect(late).toMatchObject({ code: "conflict", status: 409, message: "The undo window for this judgment has passed." });
    expect(await getPrisma().judgment.count({ where: { id } })).toBe(1);
  });

  it("refuses an undo once the campaign is closed, keeping the judgment", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(1) });
    const alice = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [alice]);
    const task = await lease(alice, campaign);
    const { id } = await submit(alice, task.assignmentId, { winner: task.candidates[0]!.id });
    await setCampaignStatus({ actor: actorFor(admin), campaignId: campaign.id, input: { status: "closed" } });
    const error = await appError(undoJudgment({ actor: actorFor(alice), judgmentId: id }));
    expect(error).toMatchObject({ code: "conflict", message: "This campaign is closed; judgments can no longer be undone." });
    expect(await getPrisma().judgment.count({ where: { id } })).toBe(1);
    expect(await getPrisma().assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).toMatchObject({ status: "submitted" });
  });
});

describe("gold items", () => {
  // The draw that decides gold also shuffles candidates; just under and just over goldRate 0.25.
  const alwaysGold = () => 0.24;
  const neverGold = () => 0.26;

  it("mixes gold in at goldRate, scores it against the gold answer, and ignores overlap for it", async () => {
    const gold = makePairwiseItems(2, { prefix: "gold", gold: () => ({ winner: "a" }) });
    const campaign = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 1, goldRate: 0.25 },
      items: [...gold, ...makePairwiseItems(2)],
    });
    const [alice, bob] = (await createTestUsers(2, { role: "annotator" })) as [User, User];
    await addMembers(campaign.id, [alice, bob]);
    const prisma = getPrisma();
    const pick = (task: TaskView, externalId: string) => {
      const item = campaign.items.find((i) => i.externalId === task.item.id)!;
      const responseId = item.responses.find((r) => r.externalId === externalId)!.id;
      return task.candidates.find((c) => c.id === responseId)!.id;
    };

    // A draw under goldRate hands out a gold item; one above it, a regular item.
    const regular = await lease(alice, campaign, neverGold);
    expect(regular.item.id).toBe("item-0");
    const regularJudgment = await submit(alice, regular.assignmentId, { winner: pick(regular, "a") });
    expect(await prisma.judgment.findUniqueOrThrow({ where: { id: regularJudgment.id } })).toMatchObject({ isGold: false, goldCorrect: null });

    const aliceGold = await lease(alice, campaign, alwaysGold);
    expect(aliceGold.item.id).toMatch(/^gold-/);
    const right = await submit(alice, aliceGold.assignmentId, { winner: pick(aliceGold, "a") });
    expect(await prisma.judgment.findUniqueOrThrow({ where: { id: right.id } })).toMatchObject({ isGold: true, goldCorrect: true });
    expect(await prisma.assignment.findUniqueOrThrow({ where: { id: aliceGold.assignmentId } })).toMatchObject({ isGold: true });

    // Overlap 1 does not apply to gold: Bob gets the gold item Alice already answered, once.
    const bobGold = [await lease(bob, campaign, alwaysGold)];
    await submit(bob, bobGold[0]!.assignmentId, { winner: pick(bobGold[0]!, "b") });
    bobGold.push(await lease(bob, campaign, alwaysGold));
    await submit(bob, bobGold[1]!.assignmentId, { winner: "tie" });
    expect(bobGold.map((t) => t.item.id).sort()).toEqual(["gold-0", "gold-1"]);
    const bobRows = await prisma.judgment.findMany({ where: { userId: bob.id, isGold: true } });
    expect(bobRows.map((r) => r.goldCorrect)).toEqual([false, false]);

    // With every gold item answered, a gold draw falls back to regular work.
    const fallback = await lease(bob, campaign, alwaysGold);
    expect(fallback.item.id).toBe("item-1");
    expect(fallback.candidates).toHaveLength(2);
  });

  it("hands out no gold when goldRate is 0", async () => {
    const gold = makePairwiseItems(1, { prefix: "gold", gold: () => ({ winner: "a" }) });
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: [...gold, ...makePairwiseItems(1)] });
    const alice = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [alice]);
    const task = await lease(alice, campaign, () => 0);
    expect(task.item.id).toBe("item-0");
    await submit(alice, task.assignmentId, { winner: "tie" });
    expect(await assignNextTask({ actor: actorFor(alice), campaignId: campaign.id, random: () => 0 })).toBeNull();
  });
});

describe("campaign and membership state", () => {
  it("refuses tasks and judgments in a paused campaign with 409, and hands out tasks again once resumed", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(2) });
    const alice = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [alice]);
    const task = await lease(alice, campaign);
    await setCampaignStatus({ actor: actorFor(admin), campaignId: campaign.id, input: { status: "paused" } });

    const next = await appError(assignNextTask({ actor: actorFor(alice), campaignId: campaign.id }));
    expect(next).toMatchObject({ code: "conflict", status: 409, message: "This campaign is paused; no tasks are handed out." });
    const judged = await appError(submit(alice, task.assignmentId, { winner: task.candidates[0]!.id }));
    expect(judged).toMatchObject({ code: "conflict", message: "This campaign is paused; judgments are not accepted." });

    await setCampaignStatus({ actor: actorFor(admin), campaignId: campaign.id, input: { status: "active" } });
    const resumed = await lease(alice, campaign);
    expect(resumed.item.id).toBe(task.item.id);
    expect(resumed.assignmentId).toBe(task.assignmentId);
  });

  it("refuses a paused member with 403, giving the reason", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(2) });
    const alice = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [alice]);
    const task = await lease(alice, campaign);
    await getPrisma().campaignMember.update({
      where: { campaignId_userId: { campaignId: campaign.id, userId: alice.id } },
      data: { status: "paused", pauseReason: "gold accuracy 40% is below 70%" },
    });

    const next = await appError(assignNextTask({ actor: actorFor(alice), campaignId: campaign.id }));
    expect(next).toMatchObject({ code: "forbidden", status: 403, message: "Your work on this campaign is paused: gold accuracy 40% is below 70%" });
    const judged = await appError(submit(alice, task.assignmentId, { winner: task.candidates[0]!.id }));
    expect(judged).toMatchObject({ code: "forbidden", message: "Your work on this campaign is paused." });
  });

  it("finishes started items first when finishStartedFirst is on, and follows import order when it is off", async () => {
    async function secondAnnotatorStartsWith(finishStartedFirst: boolean): Promise<string> {
      const campaign = await createTestCampaign({
        admin,
        taskType: "pairwise",
        config: { overlap: 2, goldRate: 0, finishStartedFirst },
        items: makePairwiseItems(3),
      });
      const [alice, bob] = (await createTestUsers(2, { role: "annotator" })) as [User, User];
      await addMembers(campaign.id, [alice, bob]);
      // Alice passes over the first two items and judges the last one.
      for (const expected of ["item-0", "item-1"]) {
        const task = await lease(alice, campaign);
        expect(task.item.id).toBe(expected);
        await skipTask({ actor: actorFor(alice), assignmentId: task.assignmentId, input: {} });
      }
      const last = await lease(alice, campaign);
      expect(last.item.id).toBe("item-2");
      await submit(alice, last.assignmentId, { winner: last.candidates[0]!.id });
      return (await lease(bob, campaign)).item.id;
    }
    expect(await secondAnnotatorStartsWith(true)).toBe("item-2");
    expect(await secondAnnotatorStartsWith(false)).toBe("item-0");
  });
});
