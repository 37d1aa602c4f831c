import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetConfigCache } from "@arbiter/config";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { createRewardScorer, decodeWeights, expandRankingToPairs, rewardPromptText } from "@arbiter/reward-model";
import { buildTinyOnnxRewardModel, plantedSignalPairs } from "@arbiter/reward-model/testing";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { getTask } from "../src/annotation/get-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { AppError } from "../src/errors.ts";
import { startJobWorker } from "../src/jobs/start-job-worker.ts";
import { collectRewardPairs } from "../src/reward/collect-reward-pairs.ts";
import { REWARD_MODEL_QUEUE } from "../src/reward/enqueue-reward-training.ts";
import { getPretrainedRewardModelFile } from "../src/reward/get-pretrained-reward-model-file.ts";
import { getHintInfluence } from "../src/reward/get-hint-influence.ts";
import { getRewardModelInfo } from "../src/reward/get-reward-model-info.ts";
import { getRewardModelWeights } from "../src/reward/get-reward-model-weights.ts";
import { requestRewardModelTraining } from "../src/reward/request-reward-model-training.ts";
import { forgetRewardModelRef, loadRewardModelRef } from "../src/reward/reward-model-ref.ts";
import { createRewardTrainingJobHandler } from "../src/reward/reward-training-job-handler.ts";
import { trainCampaignRewardModel } from "../src/reward/train-campaign-reward-model.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers, makeKwiseItems, type TestCampaign } from "../src/testing/builders.ts";

let admin: User;
let researcher: User;
let outsider: User;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  researcher = await createTestUser({ role: "researcher" });
  outsider = await createTestUser({ role: "annotator" });
});

afterAll(async () => {
  await disconnectPrisma();
});

const rejectsWith = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

/** A pairwise campaign whose items are planted-signal pairs: response "good" holds the signal. */
async function plantedCampaign(count: number, config: Record<string, unknown> = {}): Promise<TestCampaign> {
  const pairs = plantedSignalPairs({ count, seed: 5 });
  return createTestCampaign({
    admin,
    taskType: "pairwise",
    config: { overlap: 1, goldRate: 0, allowTie: true, ...config },
    items: pairs.map((pair, i) => ({
      externalId: `p-${i}`,
      prompt: pair.prompt ?? "",
      responses: [
        { externalId: "good", content: pair.chosen },
        { externalId: "bad", content: pair.rejected },
      ],
    })),
  });
}

/** The annotator takes tasks until none are left and picks as `pick` says (a response's external id, or "tie"). */
async function annotateAll(campaign: TestCampaign, user: User, pick: (item: TestCampaign["items"][number]) => string): Promise<number> {
  let done = 0;
  for (;;) {
    const task = await assignNextTask({ actor: actorFor(user), campaignId: campaign.id });
    if (!task) return done;
    const item = campaign.items.find((i) => i.externalId === task.item.id)!;
    const choice = pick(item);
    const winner = choice === "tie" ? "tie" : item.responses.find((r) => r.externalId === choice)!.id;
    await submitJudgment({ actor: actorFor(user), assignmentId: task.assignmentId, input: { winner } });
    done++;
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("reward model training on a campaign's votes", () => {
  it("learns a planted signal from human judgments through the job queue, and retrains only when due", async () => {
    const campaign = await plantedCampaign(100);
    const [annotator] = await createTestUsers(1, { role: "annotator" });
    await addMembers(campaign.id, [annotator!]);
    // Ties say nothing about which is better: the first 4 items are ties and give no pairs.
    let n = 0;
    const judged = await annotateAll(campaign, annotator!, () => (n++ < 4 ? "tie" : "good"));
    expect(judged).toBe(100);

    // Every judgment queued the same debounced check: one waiting job for the campaign.
    const jobs = await getPrisma().job.findMany({ where: { queue: REWARD_MODEL_QUEUE, payload: { equals: { campaignId: campaign.id } } } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.runAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await getPrisma().job.update({ where: { id: jobs[0]!.id }, data: { runAt: new Date() } });

    const worker = startJobWorker({ handlers: [createRewardTrainingJobHandler()], concurrency: 1, pollMs: 50, leaseMs: 60_000, log: () => {} });
    try {
      const row = await waitFor("version 1", () => getPrisma().rewardModelVersion.findFirst({ where: { campaignId: campaign.id } }));
      expect(row.version).toBe(1);
      expect(row.format).toBe("ARM1");
      expect(row.trainedOnVotes).toBe(96);
      expect(row.heldOutAccuracy).toBeGreaterThanOrEqual(0.8);
      const job = await waitFor("job done", async () => {
        const j = await getPrisma().job.findUnique({ where: { id: jobs[0]!.id } });
        return j?.status === "done" ? j : null;
      });
      // Trained on the background thread, not in slices on this one (the fallback).
      expect(job.result).toMatchObject({ votes: 96, pairs: expect.any(Number), trainedOn: "thread" });
    } finally {
      await worker.stop({ graceMs: 5_000 });
    }

    // The stored weights decode and rank the planted token: a fresh "marvelous" answer beats its twin without it.
    const { body } = (await getRewardModelWeights({ actor: actorFor(admin), campaignId: campaign.id })) as { body: Uint8Array };
    const model = decodeWeights(body);
    expect(model.metrics?.heldOutAccuracy).toBeGreaterThanOrEqual(0.8);
    const scorer = await createRewardScorer({ weights: model, backend: "js" });
    const base = "lokami duvine sarupe tovi gihajo";
    const [withToken, without, withNegative] = await scorer.score([{ response: `${base} marvelous` }, { response: base }, { response: `${base} dreadful` }]);
    expect(withToken).toBeGreaterThan(without!);
    expect(without).toBeGreaterThan(withNegative!);

    // Not due again until +20 % votes; an admin can force a version.
    expect(await trainCampaignRewardModel({ campaignId: campaign.id })).toMatchObject({
      kind: "skipped",
      reason: "not enough new votes since the last version",
      votes: 96,
    });
    await expect(requestRewardModelTraining({ actor: actorFor(researcher), campaignId: campaign.id })).rejects.toSatisfy(rejectsWith("forbidden"));
    const forced = await requestRewardModelTraining({ actor: actorFor(admin), campaignId: campaign.id });
    expect(forced).toMatchObject({ version: 2, trainedOnVotes: 96, weightsUrl: `/api/v1/campaigns/${campaign.id}/reward-model/weights?version=2` });

    const info = await getRewardModelInfo({ actor: actorFor(annotator!), campaignId: campaign.id });
    expect(info).toMatchObject({
      source: "trained",
      hintMode: "after_choice",
      hintGate: "auto",
      // 96 votes leave 19 held-out pairs: too few for the gate, so tasks carry no model view yet.
      current: null,
      gate: { open: false, enforced: true, version: 2, servedVersion: null, heldOutPairs: 19, minHeldOutPairs: 30 },
      latest: { version: 2, trainedOnVotes: 96, calibration: { heldOutPairs: 19, accuracyCi: [expect.any(Number), expect.any(Number)] } },
      training: { votes: 96, minVotes: 20, nextVersionAtVotes: 116 },
    });
    expect(info.gate.reasons).toContainEqual(expect.stringMatching(/only 19 held-out pairs \(needs 30\)/));
    expect(info.gate).toMatchObject({ ask: null, askReasons: [expect.stringMatching(/gate is shut/)] });
    forgetRewardModelRef(campaign.id);
    expect(await loadRewardModelRef(campaign.id)).toBeNull();
    expect(info.versions.map((v) => v.version)).toEqual([2, 1]);
    const v2 = await getRewardModelWeights({ actor: actorFor(admin), campaignId: campaign.id, version: "2" });
    expect(v2.status === 200 && info.latest!.bytes === v2.body.byteLength).toBe(true);
  });

  it("turns K-wise rankings into pairs (ties give none) and trains on them", async () => {
    const campaign = await createTestCampaign({ admin, taskType: "kwise", config: { overlap: 1, goldRate: 0, k: 3 }, items: makeKwiseItems(12, 3) });
    const [annotator] = await createTestUsers(1, { role: "annotator" });
    await addMembers(campaign.id, [annotator!]);
    for (;;) {
      const task = await assignNextTask({ actor: actorFor(annotator!), campaignId: campaign.id });
      if (!task) break;
      const item = campaign.items.find((i) => i.externalId === task.item.id)!;
      const id = (ext: string) => item.responses.find((r) => r.externalId === ext)!.id;
      await submitJudgment({ actor: actorFor(annotator!), assignmentId: task.assignmentId, input: { ranking: [[id("r0")], [id("r1"), id("r2")]] } });
    }
    const { pairs, judgments } = await collectRewardPairs({ campaignId: campaign.id });
    expect(judgments).toBe(12);
    expect(pairs).toHaveLength(24);
    const first = campaign.items[0]!;
    const text = (ext: string) => first.responses.find((r) => r.externalId === ext)!.content;
    const expected = expandRankingToPairs({
      prompt: rewardPromptText({ prompt: first.prompt }),
      tiers: [[text("r0")], [text("r1"), text("r2")]],
      group: first.id,
    });
    expect(pairs.filter((p) => p.group === first.id)).toEqual(expected);
    // 12 votes are under the minimum of 20: no version unless forced.
    expect(await trainCampaignRewardModel({ campaignId: campaign.id })).toMatchObject({ kind: "skipped", votes: 12 });
    expect(await trainCampaignRewardModel({ campaignId: campaign.id, force: true })).toMatchObject({
      kind: "trained",
      version: { version: 1, trainedOnVotes: 12 },
    });
  });
});

describe("serving the reward model", () => {
  let campaign: TestCampaign;
  let member: User;

  beforeAll(async () => {
    campaign = await plantedCampaign(30, { hintGate: "off", hintControlShare: 0 });
    member = (await createTestUsers(1, { role: "annotator" }))[0]!;
    await addMembers(campaign.id, [member!]);
  });

  it("tasks carry the latest version once one exists; weights answer with a strong ETag and 304", async () => {
    const first = await assignNextTask({ actor: actorFor(member!), campaignId: campaign.id });
    expect(first!.rewardModel).toBeUndefined();
    await expect(getRewardModelWeights({ actor: actorFor(admin), campaignId: campaign.id })).rejects.toSatisfy(rejectsWith("not_found"));

    await annotateAll(campaign, member!, () => "good");
    const trained = await trainCampaignRewardModel({ campaignId: campaign.id });
    expect(trained).toMatchObject({ kind: "trained", version: { version: 1, trainedOnVotes: 30 } });

    const again = await getTask({ actor: actorFor(member!), assignmentId: first!.assignmentId });
    // hintGate "off": the newest version is served whatever its validation says.
    expect(again.rewardModel).toEqual({
      kind: "trained",
      version: 1,
      url: `/api/v1/campaigns/${campaign.id}/reward-model/weights?version=1`,
      temperature: expect.any(Number),
      heldOutAccuracy: expect.any(Number),
      heldOutPairs: 6,
      gate: "off",
      // 6 held-out pairs cannot show when the model is right often enough to ask "Keep your choice?".
      ask: null,
    });
    expect(again.hintCondition).toBe("hint");

    const full = await getRewardModelWeights({ actor: actorFor(member!), campaignId: campaign.id, version: "1" });
    if (full.status !== 200) throw new Error("expected the bytes");
    expect(full).toMatchObject({ version: 1, immutable: true, etag: expect.stringMatching(/^"rm-[0-9a-f-]{36}"$/) });
    expect(Array.from(full.body.subarray(0, 4), (b) => String.fromCharCode(b)).join("")).toBe("ARM1");
    expect(await getRewardModelWeights({ actor: actorFor(member!), campaignId: campaign.id, version: "1", ifNoneMatch: `"other", ${full.etag}` })).toEqual({
      status: 304,
      etag: full.etag,
      version: 1,
      immutable: true,
    });
    const latest = await getRewardModelWeights({ actor: actorFor(researcher), campaignId: campaign.id, ifNoneMatch: `"stale"` });
    expect(latest).toMatchObject({ status: 200, version: 1, immutable: false, etag: full.etag });

    await expect(getRewardModelWeights({ actor: actorFor(admin), campaignId: campaign.id, version: "abc" })).rejects.toSatisfy(rejectsWith("unprocessable"));
    await expect(getRewardModelWeights({ actor: actorFor(admin), campaignId: campaign.id, version: "9" })).rejects.toSatisfy(rejectsWith("not_found"));
    await expect(getRewardModelWeights({ actor: actorFor(outsider), campaignId: campaign.id, version: "1" })).rejects.toSatisfy(rejectsWith("not_found"));
    await expect(getRewardModelInfo({ actor: actorFor(outsider), campaignId: campaign.id })).rejects.toSatisfy(rejectsWith("not_found"));
    await expect(getRewardModelInfo({ actor: null, campaignId: campaign.id })).rejects.toSatisfy(rejectsWith("unauthorized"));
    expect((await getRewardModelInfo({ actor: actorFor(researcher), campaignId: campaign.id })).latest?.version).toBe(1);
  });

  it("campaigns with hints off queue no training and hand out no model", async () => {
    const off = await plantedCampaign(25, { hintMode: "off" });
    const [annotator] = await createTestUsers(1, { role: "annotator" });
    await addMembers(off.id, [annotator!]);
    await annotateAll(off, annotator!, () => "good");
    expect(await getPrisma().job.count({ where: { queue: REWARD_MODEL_QUEUE, payload: { equals: { campaignId: off.id } } } })).toBe(0);
    expect(await trainCampaignRewardModel({ campaignId: off.id })).toMatchObject({ kind: "skipped", reason: "hints are off for this campaign" });
    await trainCampaignRewardModel({ campaignId: off.id, force: true });
    const info = await getRewardModelInfo({ actor: actorFor(admin), campaignId: off.id });
    expect(info.latest?.version).toBe(1);
    expect(info.current).toBeNull();
  });
});

describe("the hint gate and the no-hint arm", () => {
  it("opens once a version validates on enough held-out pairs, and never serves a version that validates worse", async () => {
    const campaign = await plantedCampaign(170, { hintControlShare: 0 });
    const [annotator] = await createTestUsers(1, { role: "annotator" });
    await addMembers(campaign.id, [annotator!]);
    await annotateAll(campaign, annotator!, () => "good");
    const trained = await trainCampaignRewardModel({ campaignId: campaign.id });
    expect(trained).toMatchObject({ kind: "trained", version: { version: 1, heldOutPairs: 34 } });
    const info = await getRewardModelInfo({ actor: actorFor(researcher), campaignId: campaign.id });
    expect(info.gate).toMatchObject({ open: true, enforced: true, reasons: [], servedVersion: 1, heldOutPairs: 34 });
    expect(info.gate.accuracyCi![0]).toBeGreaterThan(Math.max(0.5, info.gate.baselines!.longer, info.gate.baselines!.shorter));
    expect(info.current).toMatchObject({ kind: "trained", version: 1, heldOutPairs: 34, gate: "auto" });
    expect(info.versions[0]).toMatchObject({ version: 1, heldOutPairs: 34, passesGate: true, eceAfter: expect.any(Number) });
    forgetRewardModelRef(campaign.id);
    expect(await loadRewardModelRef(campaign.id)).toMatchObject({ version: 1, temperature: info.gate.temperature, ask: info.gate.ask });
    // The planted signal is learnt: the held-out pairs show where the model may ask "Keep your choice?".
    expect(info.gate).toMatchObject({ askReasons: [], askTarget: 0.85, askMinConfidence: 0.8 });
    expect(info.gate.ask!.threshold).toBeGreaterThanOrEqual(0.8);
    expect(info.gate.ask!.precisionCi[0]).toBeGreaterThanOrEqual(0.85);
    expect(info.gate.ask!.heldOutPairs).toBeGreaterThanOrEqual(22);
    expect(info.gate.ask!.heldOutPairs).toBeLessThanOrEqual(34);
    expect(info.current!.ask).toEqual(info.gate.ask);
    expect(info.versions[0]!.ask).toEqual(info.gate.ask);

    // A later version that passes the gate but validates worse (its stored metrics say so) is passed over.
    expect(info.gate.accuracyCi![0]).toBeGreaterThan(0.6);
    const worse = { ...(trained as { version: { calibration: object } }).version.calibration, accuracy: 0.72, accuracyCi: [0.6, 0.83] };
    await getPrisma().rewardModelVersion.create({
      data: {
        campaignId: campaign.id,
        version: 2,
        format: "ARM1",
        weights: new Uint8Array(8),
        trainedOnVotes: 200,
        heldOutAccuracy: 0.7,
        metrics: { calibration: worse },
      },
    });
    forgetRewardModelRef(campaign.id);
    expect(await loadRewardModelRef(campaign.id)).toMatchObject({ version: 1 });
    const after = await getRewardModelInfo({ actor: actorFor(admin), campaignId: campaign.id });
    expect(after.gate).toMatchObject({ open: true, servedVersion: 1, reasons: [expect.stringMatching(/v2.*validates worse than v1/)] });
  });

  it("withholds hints from the no-hint share of tasks, and records each judgment's condition", async () => {
    const campaign = await plantedCampaign(60, { overlap: 2, hintGate: "off", hintControlShare: 0.5 });
    const [first, second] = await createTestUsers(2, { role: "annotator" });
    await addMembers(campaign.id, [first!, second!]);
    await annotateAll(campaign, first!, () => "good");
    await trainCampaignRewardModel({ campaignId: campaign.id, force: true });
    forgetRewardModelRef(campaign.id);
    const tasks = [];
    for (let i = 0; i < 40; i++) {
      const task = await assignNextTask({ actor: actorFor(second!), campaignId: campaign.id });
      if (!task) break;
      tasks.push(task);
      const item = campaign.items.find((it) => it.externalId === task.item.id)!;
      const winner = item.responses.find((r) => r.externalId === "good")!.id;
      // A control-arm task claims a hint too: the server decides the arm, not the page.
      const hint = { shown: true, modelVersion: task.rewardModel?.version ?? 1, agreed: true };
      await submitJudgment({ actor: actorFor(second!), assignmentId: task.assignmentId, input: { winner, hint } });
    }
    const control = tasks.filter((t) => t.hintCondition === "control");
    const hinted = tasks.filter((t) => t.hintCondition === "hint");
    expect(control.length + hinted.length).toBe(tasks.length);
    expect(control.length).toBeGreaterThan(5);
    expect(hinted.length).toBeGreaterThan(5);
    expect(control.every((t) => t.rewardModel === undefined)).toBe(true);
    expect(hinted.every((t) => t.rewardModel?.version === 1)).toBe(true);
    const stored = await getPrisma().judgment.findMany({ where: { campaignId: campaign.id, userId: second!.id }, select: { assignmentId: true, meta: true } });
    for (const task of tasks) {
      const row = stored.find((j) => j.assignmentId === task.assignmentId)!;
      expect((row.meta as { hintCondition: string }).hintCondition).toBe(task.hintCondition);
    }

    // The "hint influence" figures: each arm counted apart, agreement with the model only where the page scored.
    const influence = await getHintInfluence({ actor: actorFor(researcher), campaignId: campaign.id });
    expect(influence.hint).toMatchObject({
      judgments: hinted.length,
      agreesWithModel: { rate: 1, n: hinted.length },
      changedMind: { rate: 0, n: hinted.length },
    });
    // The first annotator's judgments (made before any model existed) are in the arms too: control, or none.
    const controlCount = await getPrisma().judgment.count({ where: { campaignId: campaign.id, meta: { path: ["hintCondition"], equals: "control" } } });
    expect(controlCount).toBeGreaterThan(control.length);
    expect(influence.control).toMatchObject({ judgments: controlCount, agreesWithModel: { rate: null, n: 0 }, agreesWithOthers: { rate: 1 } });
    expect(influence.other).toBe(60 + tasks.length - controlCount - hinted.length);
    expect(influence.control.labels).toEqual({ winner: 1, tie: 0, both_bad: 0 });
    expect(influence.hint.agreesWithOthers.ci![0]).toBeLessThan(1);
    await expect(getHintInfluence({ actor: actorFor(second!), campaignId: campaign.id })).rejects.toSatisfy(rejectsWith("forbidden"));
  });
});

describe("pretrained ONNX reward model from a folder", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "arbiter-rm-"));
    const tiny = buildTinyOnnxRewardModel();
    mkdirSync(join(root, "tiny", "onnx"), { recursive: true });
    writeFileSync(join(root, "tiny", "onnx", "model.onnx"), tiny.model);
    writeFileSync(join(root, "tiny", "tokenizer.json"), JSON.stringify(tiny.tokenizer));
    writeFileSync(join(root, "tiny", "config.json"), JSON.stringify(tiny.config));
    mkdirSync(join(root, "broken"));
    writeFileSync(join(root, "broken", "config.json"), "{}");
    process.env.ARBITER_REWARD_MODELS_DIR = root;
    resetConfigCache();
  });
  afterAll(() => {
    delete process.env.ARBITER_REWARD_MODELS_DIR;
    resetConfigCache();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves the folder's files to members, points tasks at them and never trains", async () => {
    const shut = await plantedCampaign(3, { rewardModel: { kind: "onnx", path: "tiny" }, hintControlShare: 0 });
    const [shutMember] = await createTestUsers(1, { role: "annotator" });
    await addMembers(shut.id, [shutMember!]);
    // The gate shuts on a pretrained model (nothing validates it on the campaign's votes) unless the admin turns it off.
    expect(await assignNextTask({ actor: actorFor(shutMember!), campaignId: shut.id })).toMatchObject({ hintCondition: "none" });
    expect((await assignNextTask({ actor: actorFor(shutMember!), campaignId: shut.id }))?.rewardModel).toBeUndefined();
    expect((await getRewardModelInfo({ actor: actorFor(admin), campaignId: shut.id })).gate).toMatchObject({
      open: false,
      reasons: [expect.stringMatching(/not validated/)],
    });
    const campaign = await plantedCampaign(3, { rewardModel: { kind: "onnx", path: "tiny" }, hintGate: "off", hintControlShare: 0 });
    const [annotator] = await createTestUsers(1, { role: "annotator" });
    await addMembers(campaign.id, [annotator!]);
    const task = await assignNextTask({ actor: actorFor(annotator!), campaignId: campaign.id });
    const base = `/api/v1/campaigns/${campaign.id}/reward-model/files`;
    expect(task!.rewardModel).toEqual({
      kind: "onnx",
      version: 0,
      url: `${base}/model.onnx`,
      files: { tokenizer: `${base}/tokenizer.json`, config: `${base}/config.json`, tokenizerConfig: null },
      temperature: 1,
      heldOutAccuracy: null,
      heldOutPairs: 0,
      gate: "off",
      ask: null,
    });

    const info = await getRewardModelInfo({ actor: actorFor(researcher), campaignId: campaign.id });
    expect(info).toMatchObject({ source: "onnx", training: null, pretrained: { path: "tiny", available: true, problem: null } });
    // onnxruntime-web's execution providers: WebGPU (where it takes the forward pass), then WASM; no JS backend for a transformer.
    expect(info.backends.order).toEqual(["webgpu", "wasm"]);
    expect(info.backends.force).toContain("onnx-webgpu");
    const file = await getPretrainedRewardModelFile({ actor: actorFor(annotator!), campaignId: campaign.id, name: "model.onnx" });
    if (file.status !== 200) throw new Error("expected the file");
    const bytes = new Uint8Array(await new Response(file.body).arrayBuffer());
    expect(bytes).toEqual(buildTinyOnnxRewardModel().model);
    expect(await getPretrainedRewardModelFile({ actor: actorFor(annotator!), campaignId: campaign.id, name: "model.onnx", ifNoneMatch: file.etag })).toEqual({
      status: 304,
      etag: file.etag,
    });
    await expect(getPretrainedRewardModelFile({ actor: actorFor(annotator!), campaignId: campaign.id, name: "../../etc/passwd" })).rejects.toSatisfy(
      rejectsWith("not_found"),
    );
    await expect(getPretrainedRewardModelFile({ actor: actorFor(annotator!), campaignId: campaign.id, name: "tokenizer_config.json" })).rejects.toSatisfy(
      rejectsWith("not_found"),
    );
    await expect(getPretrainedRewardModelFile({ actor: actorFor(outsider), campaignId: campaign.id, name: "model.onnx" })).rejects.toSatisfy(
      rejectsWith("not_found"),
    );
    expect(await trainCampaignRewardModel({ campaignId: campaign.id, force: true })).toMatchObject({
      kind: "skipped",
      reason: "the campaign uses a pretrained ONNX reward model",
    });
  });

  it("a folder that is missing files gives no hints and says why; paths outside the folder are refused", async () => {
    const campaign = await plantedCampaign(2, { rewardModel: { kind: "onnx", path: "broken" } });
    const [annotator] = await createTestUsers(1, { role: "annotator" });
    await addMembers(campaign.id, [annotator!]);
    forgetRewardModelRef(campaign.id);
    expect((await assignNextTask({ actor: actorFor(annotator!), campaignId: campaign.id }))!.rewardModel).toBeUndefined();
    expect((await getRewardModelInfo({ actor: actorFor(admin), campaignId: campaign.id })).pretrained).toMatchObject({
      available: false,
      problem: "missing model.onnx and tokenizer.json",
    });
    for (const path of ["../tiny", "/etc", "tiny/../../x"]) {
      await expect(plantedCampaign(1, { rewardModel: { kind: "onnx", path } })).rejects.toSatisfy(rejectsWith("unprocessable"));
    }
  });
});
