import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { updateCampaign } from "../src/campaigns/update-campaign.ts";
import { duplicateCampaign } from "../src/campaigns/duplicate-campaign.ts";
import { listCampaignMembers } from "../src/campaigns/list-campaign-members.ts";
import { exportDataset } from "../src/datasets/export-dataset.ts";
import { getDatasetCard } from "../src/datasets/get-dataset-card.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, makeKwiseItems, makePairwiseItems } from "../src/testing/builders.ts";

let admin: User;
let researcher: User;
let annotator: User;

beforeAll(async () => {
  [admin, researcher, annotator] = await Promise.all([
    createTestUser({ role: "admin" }),
    createTestUser({ role: "researcher" }),
    createTestUser({ role: "annotator" }),
  ]);
});

afterAll(async () => {
  await disconnectPrisma();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as AppError,
  );

async function judgeOnce(campaignId: string, user: User) {
  const task = await assignNextTask({ actor: actorFor(user), campaignId });
  if (!task) throw new Error("no task");
  const input = task.comparison === "pairwise" ? { winner: task.candidates[0]!.id } : { ranking: task.candidates.map((c) => [c.id]) };
  return submitJudgment({ actor: actorFor(user), assignmentId: task.assignmentId, idempotencyKey: `k-${task.assignmentId}`, input });
}

describe("updateCampaign", () => {
  it("changes name, description and config freely before any judgment", async () => {
    const { id } = await createTestCampaign({ admin, taskType: "kwise", config: { k: 4 }, status: "draft" });
    const updated = await updateCampaign({
      actor: actorFor(admin),
      campaignId: id,
      input: { name: "Renamed", description: "About it", config: { k: 3, guidelines: "# Read me", license: "cc-by-4.0" } },
    });
    expect(updated).toMatchObject({ name: "Renamed", description: "About it", config: { k: 3, guidelines: "# Read me", license: "cc-by-4.0", overlap: 3 } });
    const rationale = await updateCampaign({ actor: actorFor(admin), campaignId: id, input: { taskType: "rationale" } });
    expect(rationale.taskType).toBe("rationale");
    expect(rationale.config.rationale).toBe("required");
    expect(rationale.config.attributes.map((a) => a.name)).toEqual(["helpfulness", "correctness", "coherence", "complexity", "verbosity"]);
  });

  it("validates the merged config (422) and refuses non-admins (403)", async () => {
    const { id } = await createTestCampaign({ admin, taskType: "pairwise", status: "draft" });
    const invalid = await failure(updateCampaign({ actor: actorFor(admin), campaignId: id, input: { config: { overlap: 0 } } }));
    expect(invalid.status).toBe(422);
    expect(invalid.details?.[0]).toMatchObject({ path: "overlap" });
    expect((await failure(updateCampaign({ actor: actorFor(admin), campaignId: id, input: { config: { nonsense: 1 } } }))).status).toBe(422);
    expect((await failure(updateCampaign({ actor: actorFor(researcher), campaignId: id, input: { name: "x" } }))).status).toBe(403);
    expect((await failure(updateCampaign({ actor: actorFor(annotator), campaignId: id, input: { name: "x" } }))).status).toBe(403);
  });

  it("asks for confirmation (409) before a change that affects collected judgments, then applies it and releases leases", async () => {
    const { id } = await createTestCampaign({ admin, taskType: "kwise", config: { k: 4, overlap: 2 }, items: makeKwiseItems(3, 4) });
    await addMembers(id, [annotator]);
    await judgeOnce(id, annotator);
    await assignNextTask({ actor: actorFor(annotator), campaignId: id });
    const safe = await updateCampaign({ actor: actorFor(admin), campaignId: id, input: { config: { overlap: 3, guidelines: "More detail" } } });
    expect(safe.config.overlap).toBe(3);

    const conflict = await failure(updateCampaign({ actor: actorFor(admin), campaignId: id, input: { config: { k: 3, allowTie: false } } }));
    expect(conflict.status).toBe(409);
    expect(conflict.message).toMatch(/1 judgment already collected/);
    expect(conflict.details?.map((d) => d.path)).toEqual(["config.k", "config.allowTie"]);
    expect(conflict.details?.every((d) => d.reason === "needs_confirmation")).toBe(true);
    expect((await getPrisma().campaign.findUniqueOrThrow({ where: { id } })).config).toMatchObject({ k: 4, allowTie: true });

    const confirmed = await updateCampaign({ actor: actorFor(admin), campaignId: id, input: { config: { k: 3, allowTie: false }, confirm: true } });
    expect(confirmed.config).toMatchObject({ k: 3, allowTie: false, overlap: 3 });
    expect(await getPrisma().assignment.count({ where: { campaignId: id, status: "leased" } })).toBe(0);
    expect(await getPrisma().judgment.count({ where: { campaignId: id } })).toBe(1);
  });

  it("keeps a closed campaign's settings but lets it be renamed", async () => {
    const { id } = await createTestCampaign({ admin, taskType: "pairwise", status: "closed" });
    expect((await failure(updateCampaign({ actor: actorFor(admin), campaignId: id, input: { config: { overlap: 5 } } }))).status).toBe(409);
    expect((await updateCampaign({ actor: actorFor(admin), campaignId: id, input: { name: "Archived" } })).name).toBe("Archived");
  });
});

describe("duplicateCampaign", () => {
  it("copies config, items, responses and gold into a draft, without judgments", async () => {
    const source = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: { overlap: 1, goldRate: 0, guidelines: "Be fair" },
      items: makePairwiseItems(4, { gold: (i) => (i === 2 ? { winner: "a" } : null) }),
    });
    await addMembers(source.id, [annotator]);
    await judgeOnce(source.id, annotator);
    const copy = await duplicateCampaign({ actor: actorFor(admin), campaignId: source.id });
    expect(copy).toMatchObject({
      name: `${source.view.name} (copy)`,
      status: "draft",
      taskType: "pairwise",
      config: source.view.config,
      progress: { itemCount: 4, humanJudgments: 0, memberCount: 0 },
    });
    const prisma = getPrisma();
    const items = (id: string) =>
      prisma.item.findMany({ where: { campaignId: id }, orderBy: { position: "asc" }, include: { responses: { orderBy: { position: "asc" } } } });
    const strip = (rows: Awaited<ReturnType<typeof items>>) =>
      rows.map((i) => ({
        externalId: i.externalId,
        position: i.position,
        prompt: i.prompt,
        gold: i.gold,
        isGold: i.isGold,
        humanCount: i.humanCount,
        responses: i.responses.map((r) => [r.externalId, r.content, r.model]),
      }));
    const original = strip(await items(source.id));
    expect(strip(await items(copy.id))).toEqual(original.map((i) => ({ ...i, humanCount: 0 })));
    expect(await prisma.judgment.count({ where: { campaignId: copy.id } })).toBe(0);
    const stored = await prisma.campaign.findUniqueOrThrow({ where: { id: copy.id } });
    expect(stored.duplicatedFromId).toBe(source.id);
    expect(stored.pseudonymSalt).not.toBe((await prisma.campaign.findUniqueOrThrow({ where: { id: source.id } })).pseudonymSalt);
    expect((await failure(duplicateCampaign({ actor: actorFor(researcher), campaignId: source.id }))).status).toBe(403);
  });
});

describe("export access and members", () => {
  it("lets admins and researchers export; annotators get 403; bad queries 422", async () => {
    const { id } = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(2) });
    await addMembers(id, [annotator]);
    await judgeOnce(id, annotator);
    for (const user of [admin, researcher]) {
      const download = await exportDataset({ actor: actorFor(user), campaignId: id, query: { format: "raw" } });
      expect(download.contentType).toBe("application/x-ndjson; charset=utf-8");
      let text = "";
      for await (const chunk of download.body) text += new TextDecoder().decode(chunk);
      expect(text.trim().split("\n")).toHaveLength(1);
      expect(text).not.toContain(annotator.email);
    }
    expect((await failure(exportDataset({ actor: actorFor(annotator), campaignId: id, query: {} }))).status).toBe(403);
    expect((await failure(exportDataset({ actor: null, campaignId: id, query: {} }))).status).toBe(401);
    expect((await failure(exportDataset({ actor: actorFor(researcher), campaignId: id, query: { format: "csv" } }))).status).toBe(422);
    expect((await failure(exportDataset({ actor: actorFor(researcher), campaignId: id, query: { since: "2026-01-02", until: "2026-01-01" } }))).status).toBe(
      422,
    );
    expect((await failure(getDatasetCard({ actor: actorFor(annotator), campaignId: id, query: {} }))).status).toBe(403);
    const card = await getDatasetCard({ actor: actorFor(researcher), campaignId: id, query: { format: "trl" } });
    expect(card.markdown).toMatch(/^---\nlicense: "unknown"/);
    expect(card.markdown).toContain("| judgments | 1 |");

    const members = await listCampaignMembers({ actor: actorFor(admin), campaignId: id });
    expect(members).toEqual([expect.objectContaining({ userId: annotator.id, email: annotator.email, status: "active", judgments: 1 })]);
    expect((await failure(listCampaignMembers({ actor: actorFor(researcher), campaignId: id }))).status).toBe(403);
  });
});
