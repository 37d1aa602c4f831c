import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, type User } from "@arbiter/db";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { getItemJudgments } from "../src/annotation/get-item-judgments.ts";
import { listJudgments } from "../src/annotation/list-judgments.ts";
import { skipTask } from "../src/annotation/skip-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import type { TaskView } from "../src/annotation/task-view.ts";
import { AppError } from "../src/errors.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, makeKwiseItems, type TestCampaign } from "../src/testing/builders.ts";

/**
 * Issue 17, item 7: the researcher's item page reads every judgment of one item as its annotator
 * saw it — the order and letters, the verdict in those letters, rationale, attributes, spans with
 * their text, the hint — with the campaign's pseudonyms, never a user id for researchers.
 */

let admin: User;
let researcher: User;
let annotators: User[];
let campaign: TestCampaign;
const tasks = new Map<string, TaskView>();

/** A random source that shuffles differently per annotator, so their orders differ. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  researcher = await createTestUser({ role: "researcher" });
  annotators = [await createTestUser({ role: "annotator" }), await createTestUser({ role: "annotator" }), await createTestUser({ role: "annotator" })];
  campaign = await createTestCampaign({
    admin,
    taskType: "rationale",
    config: {
      rationaleBase: "kwise",
      k: 3,
      overlap: 3,
      goldRate: 0,
      rationale: "optional",
      attributes: [{ name: "helpfulness", min: 0, max: 4 }],
      spanLabels: ["error", "good"],
    },
    items: makeKwiseItems(1, 3),
  });
  await addMembers(campaign.id, annotators);
  for (const [i, annotator] of annotators.entries()) {
    const task = await assignNextTask({ actor: actorFor(annotator), campaignId: campaign.id, random: seeded(7 + i * 1000) });
    if (!task) throw new Error("no task");
    tasks.set(annotator.id, task);
  }
  // Annotator 0 ranks what they saw as C > A = B, rates A, tags a span in B, saw a hint; annotator 1 picks their order as shown; annotator 2 skips.
  const [first, second, third] = annotators as [User, User, User];
  const t0 = tasks.get(first.id)!;
  const [a0, b0, c0] = t0.candidates as [TaskView["candidates"][number], TaskView["candidates"][number], TaskView["candidates"][number]];
  await submitJudgment({
    actor: actorFor(first),
    assignmentId: t0.assignmentId,
    idempotencyKey: randomUUID(),
    input: {
      ranking: [[c0.id], [a0.id, b0.id]],
      rationale: "C answers the question; A and B ramble.",
      attributes: { [a0.id]: { helpfulness: 1 } },
      spans: [{ candidateId: b0.id, start: 0, end: 8, label: "error", note: "starts off wrong" }],
      hint: { shown: true, changedMind: false },
      timeMs: 4200,
    },
  });
  const t1 = tasks.get(second.id)!;
  await submitJudgment({
    actor: actorFor(second),
    assignmentId: t1.assignmentId,
    idempotencyKey: randomUUID(),
    input: { ranking: t1.candidates.map((c) => [c.id]), timeMs: 1000 },
  });
  await skipTask({ actor: actorFor(third), assignmentId: tasks.get(third.id)!.assignmentId, input: { reason: "Content is unreadable or broken" } });
});

afterAll(async () => {
  await disconnectPrisma();
});

describe("the researcher's item page", () => {
  it("shows each judgment in the letters its annotator saw, with the pseudonyms of the judgment list", async () => {
    const view = await getItemJudgments({ actor: actorFor(researcher), campaignId: campaign.id, itemId: "kitem-0" });
    expect(view.item.id).toBe("kitem-0");
    expect(view.item.prompt).toBe(campaign.items[0]!.prompt);
    expect(view.responses.map((r) => r.id)).toEqual(["r0", "r1", "r2"]);
    expect(view.judgments).toHaveLength(2);

    const external = new Map(campaign.items[0]!.responses.map((r) => [r.id, r.externalId]));
    const [first, second] = annotators as [User, User];
    const seen0 = tasks.get(first.id)!.candidates.map((c) => external.get(c.id)!);
    const seen1 = tasks.get(second.id)!.candidates.map((c) => external.get(c.id)!);
    // The two annotators saw different orders (the seeds are chosen so), and each judgment keeps its own.
    expect(seen0).not.toEqual(seen1);

    const j0 = view.judgments[0]!;
    expect(j0.seenOrder).toEqual(seen0.map((responseId, i) => ({ letter: "ABC"[i], responseId })));
    expect(j0.verdictAsSeen).toBe("C > A = B");
    expect(j0.ranking).toEqual([[seen0[2]], [seen0[0], seen0[1]]]);
    expect(j0.rationale).toBe("C answers the question; A and B ramble.");
    expect(j0.attributes).toEqual({ [seen0[0]!]: { helpfulness: 1 } });
    const bContent = campaign.items[0]!.responses.find((r) => r.externalId === seen0[1])!.content;
    expect(j0.spans).toEqual([{ responseId: seen0[1], letter: "B", start: 0, end: 8, label: "error", note: "starts off wrong", text: bContent.slice(0, 8) }]);
    expect(j0.hint).toMatchObject({ shown: true, changedMind: false });
    expect(j0.timeMs).toBe(4200);

    const j1 = view.judgments[1]!;
    expect(j1.verdictAsSeen).toBe("A > B > C");
    expect(j1.seenOrder.map((s) => s.responseId)).toEqual(seen1);
    expect(j1.hint).toBeNull();

    // Pseudonyms: the same as the judgment list's; researchers get no user id or e-mail anywhere in the answer.
    const list = await listJudgments({ actor: actorFor(researcher), campaignId: campaign.id, query: { itemId: "kitem-0" } });
    const listed = new Map(list.judgments.map((j) => [j.id, j.annotatorId]));
    for (const j of view.judgments) {
      expect(j.annotatorId).toMatch(/^ann-/);
      expect(j.annotatorId).toBe(listed.get(j.id));
    }
    const text = JSON.stringify(view);
    for (const a of annotators) {
      expect(text).not.toContain(a.id);
      expect(text).not.toContain(a.email);
    }
    expect(view.skips).toEqual([expect.objectContaining({ reason: "Content is unreadable or broken", annotatorId: expect.stringMatching(/^ann-/) })]);
  });

  it("gives admins the e-mail and user id behind each pseudonym", async () => {
    const view = await getItemJudgments({ actor: actorFor(admin), campaignId: campaign.id, itemId: "kitem-0" });
    expect(view.judgments.map((j) => j.annotatorEmail)).toEqual([annotators[0]!.email, annotators[1]!.email]);
    expect(view.judgments.map((j) => j.annotatorUserId)).toEqual([annotators[0]!.id, annotators[1]!.id]);
  });

  it("is closed to annotators, even members, and answers 404 for an unknown item or campaign", async () => {
    const member = getItemJudgments({ actor: actorFor(annotators[0]!), campaignId: campaign.id, itemId: "kitem-0" });
    await expect(member).rejects.toBeInstanceOf(AppError);
    await expect(member).rejects.toMatchObject({ code: "forbidden" });
    await expect(getItemJudgments({ actor: actorFor(researcher), campaignId: campaign.id, itemId: "nope" })).rejects.toMatchObject({ code: "not_found" });
    await expect(getItemJudgments({ actor: actorFor(researcher), campaignId: randomUUID(), itemId: "kitem-0" })).rejects.toMatchObject({ code: "not_found" });
    await expect(getItemJudgments({ actor: null, campaignId: campaign.id, itemId: "kitem-0" })).rejects.toMatchObject({ code: "unauthorized" });
  });
});
