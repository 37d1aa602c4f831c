import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIRequestContext, type Page, type Response } from "@playwright/test";
import * as ort from "onnxruntime-web";
import { createOnnxRewardScorer, createRewardScorer, decodeWeights, rewardPromptText } from "@arbiter/reward-model";
import { buildTinyOnnxRewardModel, plantedSignalPairs, TINY_TOKENIZER_KINDS, type TinyOnnxRewardModel } from "@arbiter/reward-model/testing";
import { apiToken, bearer, demo, signIn } from "./helpers";

// Reward-model hints end to end: votes through the API train a version; the annotation page
// scores the candidates in a Web Worker on each backend (WebGPU on SwiftShader, WASM, JS) and
// on the page's thread, and the rewards it shows equal the Node reference on the same weights.

type TaskJson = {
  assignmentId: string;
  item: { prompt: string | null; messages: Array<{ role: string; content: string }> | null };
  candidates: Array<{ id: string; content: string }>;
  rewardModel?: { kind: string; version: number; url: string };
};

const TOLERANCE = 1e-4;
const password = "hints-e2e-password";
const stamp = Date.now().toString(36);
const seeder = { email: `hints-seeder-${stamp}@test.arbiter.local`, password };
const viewer = { email: `hints-viewer-${stamp}@test.arbiter.local`, password };
const pairs = plantedSignalPairs({ count: 60, seed: 21 });
let campaignId = "";
let adminToken = "";

async function createAnnotator(request: APIRequestContext, account: { email: string; password: string }) {
  const response = await request.post("/api/v1/users", {
    headers: bearer(adminToken),
    data: { email: account.email, role: "annotator", password: account.password, campaignId },
  });
  expect(response.status(), await response.text()).toBe(201);
}

/** The task on screen: the tasks/next answer whose candidates the page shows. */
async function openTask(page: Page, query: string, campaign = campaignId): Promise<TaskJson> {
  const answers: TaskJson[] = [];
  const collect = async (response: Response) => {
    if (response.url().includes(`/api/v1/campaigns/${campaign}/tasks/next`) && response.status() === 200) answers.push((await response.json()) as TaskJson);
  };
  page.on("response", collect);
  await page.goto(`/annotate/${campaign}${query}`);
  await expect(page.getByRole("form", { name: "Task" })).toBeVisible();
  const shown = await page.locator("form[aria-label=Task] [data-candidate-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-candidate-id")));
  await expect.poll(() => answers.some((t) => t.candidates.map((c) => c.id).join() === shown.join())).toBe(true);
  page.off("response", collect);
  return answers.find((t) => t.candidates.map((c) => c.id).join() === shown.join())!;
}

async function referenceRewards(request: APIRequestContext, task: TaskJson): Promise<Record<string, number>> {
  expect(task.rewardModel?.kind).toBe("trained");
  const response = await request.get(task.rewardModel!.url, { headers: bearer(adminToken) });
  expect(response.status()).toBe(200);
  const scorer = await createRewardScorer({ weights: decodeWeights(await response.body()), backend: "reference" });
  const prompt = rewardPromptText(task.item);
  const rewards = await scorer.score(task.candidates.map((c) => ({ prompt, response: c.content })));
  return Object.fromEntries(task.candidates.map((c, i) => [c.id, rewards[i]!]));
}

async function pageRewards(page: Page): Promise<Record<string, number>> {
  const entries = await page
    .locator("form[aria-label=Task] [data-candidate-id]")
    .evaluateAll((els) => els.map((e) => [e.getAttribute("data-candidate-id"), e.getAttribute("data-rm-reward")] as const));
  return Object.fromEntries(entries.map(([id, reward]) => [id ?? "", reward === null ? Number.NaN : Number(reward)]));
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  adminToken = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(adminToken),
    data: {
      name: `Hints e2e ${stamp}`,
      taskType: "pairwise",
      status: "active",
      config: { overlap: 1, goldRate: 0, allowTie: false, allowBothBad: false, hintMode: "after_choice", hintGate: "off", hintControlShare: 0 },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  campaignId = (await created.json()).id;
  const items = pairs.map((pair, i) => ({
    id: `h-${i}`,
    prompt: pair.prompt,
    responses: [
      { id: "chosen", content: pair.chosen },
      { id: "rejected", content: pair.rejected },
    ],
  }));
  const imported = await request.post(`/api/v1/campaigns/${campaignId}/items?format=native`, { headers: bearer(adminToken), data: items });
  expect(imported.status(), await imported.text()).toBe(200);
  await createAnnotator(request, seeder);
  await createAnnotator(request, viewer);

  // 40 human votes through the API, each for the planted answer.
  const token = await apiToken(request, seeder);
  const byContent = new Map(pairs.map((p) => [p.chosen, true]));
  for (let i = 0; i < 40; i++) {
    const next = await request.get(`/api/v1/campaigns/${campaignId}/tasks/next`, { headers: bearer(token) });
    expect(next.status()).toBe(200);
    const task = (await next.json()) as TaskJson;
    const winner = task.candidates.find((c) => byContent.has(c.content))!.id;
    const judged = await request.post(`/api/v1/assignments/${task.assignmentId}/judgment`, {
      headers: { ...bearer(token), "idempotency-key": `hints-${stamp}-${i}` },
      data: { winner },
    });
    expect(judged.status(), await judged.text()).toBe(201);
  }
  const trained = await request.post(`/api/v1/campaigns/${campaignId}/reward-model/train`, { headers: bearer(adminToken) });
  expect(trained.status(), await trained.text()).toBe(201);
  expect(await trained.json()).toMatchObject({ trainedOnVotes: 40, format: "ARM1" });
});

test("the reward-model API: metadata for members, weights with a strong ETag, 304, immutable caching", async ({ request }) => {
  const info = await request.get(`/api/v1/campaigns/${campaignId}/reward-model`, { headers: bearer(await apiToken(request, viewer)) });
  expect(info.status()).toBe(200);
  const body = await info.json();
  expect(body).toMatchObject({ source: "trained", hintMode: "after_choice", latest: { trainedOnVotes: 40, format: "ARM1" }, training: { votes: 40 } });
  const url = body.latest.weightsUrl as string;
  const weights = await request.get(url, { headers: bearer(adminToken) });
  expect(weights.status()).toBe(200);
  expect(weights.headers()["content-type"]).toBe("application/octet-stream");
  expect(weights.headers()["cache-control"]).toBe("private, max-age=31536000, immutable");
  const etag = weights.headers()["etag"]!;
  expect(etag).toMatch(/^"rm-[0-9a-f-]+"$/);
  expect(decodeWeights(await weights.body()).weights.length).toBeGreaterThan(65536);
  const again = await request.get(url, { headers: { ...bearer(adminToken), "if-none-match": etag } });
  expect(again.status()).toBe(304);
  const latest = await request.get(`/api/v1/campaigns/${campaignId}/reward-model/weights`, { headers: bearer(adminToken) });
  expect(latest.headers()["cache-control"]).toBe("private, no-cache");
  // Annotators outside the campaign see nothing; a bad version is the client's mistake.
  const outsider = await apiToken(request, demo.annotator3);
  expect((await request.get(url, { headers: bearer(outsider) })).status()).toBe(404);
  expect((await request.get(`/api/v1/campaigns/${campaignId}/reward-model/weights?version=x`, { headers: bearer(adminToken) })).status()).toBe(422);
  expect((await request.post(`/api/v1/campaigns/${campaignId}/reward-model/train`, { headers: bearer(outsider) })).status()).toBe(404);
});

for (const backend of ["webgpu", "wasm", "js"] as const) {
  test(`?rmBackend=${backend}: the worker scores on ${backend} and the rewards equal the Node reference`, async ({ page, request }) => {
    await signIn(page, viewer);
    const task = await openTask(page, `?rmBackend=${backend}`);
    const hint = page.locator("[data-rm-hint]");
    await expect(hint).toHaveAttribute("data-rm-status", "ready", { timeout: 30_000 });
    await expect(hint).toHaveAttribute("data-rm-backend", backend);
    await expect(hint).toHaveAttribute("data-rm-via", "worker");
    const reference = await referenceRewards(request, task);
    const shown = await pageRewards(page);
    for (const [id, value] of Object.entries(reference))
      expect(Math.abs((shown[id] ?? Number.NaN) - value), `candidate ${id} on ${backend}`).toBeLessThan(TOLERANCE);
  });
}

test("without a worker (?rmWorker=off) the page's thread scores the same, and auto skips the software WebGPU adapter", async ({ page, request }) => {
  await signIn(page, viewer);
  const task = await openTask(page, "?rmBackend=js&rmWorker=off");
  const hint = page.locator("[data-rm-hint]");
  await expect(hint).toHaveAttribute("data-rm-status", "ready", { timeout: 30_000 });
  await expect(hint).toHaveAttribute("data-rm-via", "main");
  await expect(hint).toHaveAttribute("data-rm-backend", "js");
  const reference = await referenceRewards(request, task);
  const shown = await pageRewards(page);
  for (const [id, value] of Object.entries(reference)) expect(Math.abs((shown[id] ?? Number.NaN) - value)).toBeLessThan(TOLERANCE);

  await openTask(page, "");
  await expect(hint).toHaveAttribute("data-rm-status", "ready", { timeout: 30_000 });
  const fallbackAdapter = await page.evaluate(async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    return adapter ? Boolean(adapter.info?.isFallbackAdapter) : null;
  });
  // Headless Chromium here has SwiftShader (a fallback adapter) or no adapter: auto lands on WASM.
  if (fallbackAdapter !== false) await expect(hint).toHaveAttribute("data-rm-backend", "wasm");
});

test("after_choice: the view shows once chosen, a strong disagreement asks for confirmation, and the judgment records the hint", async ({ page, request }) => {
  await signIn(page, viewer);
  const task = await openTask(page, "");
  const hint = page.locator("[data-rm-hint]");
  await expect(hint).toHaveAttribute("data-rm-status", "ready", { timeout: 30_000 });
  await expect(hint).toHaveAttribute("data-rm-visible", "false");
  await expect(page.getByText("Model's view:")).toHaveCount(0);

  const rewards = await referenceRewards(request, task);
  const [modelBest, modelWorst] = Object.entries(rewards)
    .sort((a, b) => b[1] - a[1])
    .map(([id]) => id) as [string, string];
  const probability = 1 / (1 + Math.exp(-(rewards[modelBest]! - rewards[modelWorst]!)));
  expect(probability, "the planted signal makes the model sure").toBeGreaterThanOrEqual(0.8);
  const letterOf = async (id: string) => (await page.locator(`section[data-candidate-id="${id}"] h2`).innerText()).replace("Response ", "");

  // Pick the answer the model dislikes: its view appears, and Submit asks first.
  await page.getByRole("button", { name: new RegExp(`^${await letterOf(modelWorst)} is better`) }).click();
  await expect(hint).toHaveAttribute("data-rm-visible", "true");
  await expect(page.getByRole("status").filter({ hasText: "Model's view:" })).toContainText("disagrees with you strongly");
  // Every percentage says what it rests on (40 votes, 8 held-out pairs; the gate is off for this campaign).
  await expect(hint.locator("[data-rm-basis]")).toContainText(/\d+ % right — \d+ held-out pairs/);
  await page.getByRole("checkbox", { name: /Highlight the words/ }).check();
  await expect(page.locator("[data-rm-attributed] mark").first()).toBeVisible();
  await page.getByRole("button", { name: /^Submit/ }).click();
  const dialog = page.getByRole("alertdialog", { name: "Confirm your choice" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Let me look again" }).click();
  // Changed their mind: the model's pick, and no question asked.
  await page.getByRole("button", { name: new RegExp(`^${await letterOf(modelBest)} is better`) }).click();
  await page.getByRole("button", { name: /^Submit/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "All judgments saved" })).toBeVisible();

  const list = await request.get(`/api/v1/campaigns/${campaignId}/judgments?source=human`, { headers: bearer(adminToken) });
  const mine = ((await list.json()).judgments as Array<{ annotatorEmail: string; winnerCandidateId: string; hint: unknown }>).filter(
    (j) => j.annotatorEmail === viewer.email,
  );
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({
    winnerCandidateId: modelBest,
    hint: { shown: true, changedMind: true, agreed: true, modelVersion: task.rewardModel!.version },
  });
});

test("corrupt or truncated weights: a clear console message, no hints, and the task still submits", async ({ page, request }) => {
  const messages: string[] = [];
  page.on("console", (m) => messages.push(m.text()));
  await page.route("**/reward-model/weights**", async (route) => {
    const real = await route.fetch();
    const bytes = await real.body();
    await route.fulfill({ status: 200, contentType: "application/octet-stream", body: bytes.subarray(0, Math.floor(bytes.length / 2)) });
  });
  await signIn(page, viewer);
  const task = await openTask(page, "");
  const hint = page.locator("[data-rm-hint]");
  await expect(hint).toHaveAttribute("data-rm-status", "error", { timeout: 30_000 });
  await expect(page.locator("form[aria-label=Task] [data-rm-reward]")).toHaveCount(0);
  expect(messages.some((m) => m.includes("[arbiter hints]") && /truncated|too short|checksum/i.test(m))).toBe(true);

  await page.getByRole("button", { name: /^A is better/ }).click();
  await page.getByRole("button", { name: /^Submit/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "All judgments saved" })).toBeVisible();
  const list = await request.get(`/api/v1/campaigns/${campaignId}/judgments?source=human`, { headers: bearer(adminToken) });
  const stored = ((await list.json()).judgments as Array<{ annotatorEmail: string; winnerCandidateId: string; hint: unknown }>).filter(
    (j) => j.annotatorEmail === viewer.email,
  );
  expect(stored.find((j) => j.winnerCandidateId === task.candidates[0]!.id)).toMatchObject({ hint: { shown: false, modelVersion: task.rewardModel!.version } });
});

/** Writes a tiny model's folder where the server reads pretrained models, and a campaign that uses it. */
async function onnxCampaign(request: APIRequestContext, tiny: TinyOnnxRewardModel): Promise<string> {
  // The server's ARBITER_REWARD_MODELS_DIR (set by e2e/serve.ts).
  const root = process.env.ARBITER_REWARD_MODELS_DIR ?? join(tmpdir(), "arbiter-e2e-reward-models");
  const folder = `tiny-${tiny.kind}-${stamp}`;
  mkdirSync(join(root, folder, "onnx"), { recursive: true });
  writeFileSync(join(root, folder, "onnx", "model.onnx"), tiny.model);
  writeFileSync(join(root, folder, "tokenizer.json"), JSON.stringify(tiny.tokenizer));
  writeFileSync(join(root, folder, "config.json"), JSON.stringify(tiny.config));
  writeFileSync(join(root, folder, "tokenizer_config.json"), JSON.stringify(tiny.tokenizerConfig));
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(adminToken),
    data: {
      name: `Hints ONNX ${tiny.kind} ${stamp}`,
      taskType: "kwise",
      status: "active",
      config: { overlap: 1, goldRate: 0, k: 3, hintMode: "always", hintGate: "off", hintControlShare: 0, rewardModel: { kind: "onnx", path: folder } },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as string;
  const item = {
    id: "o-1",
    prompt: "What is the answer?",
    responses: [{ content: "The answer is good and helpful, thanks." }, { content: "That is wrong and rude!" }, { content: "I am not sure, sorry." }],
  };
  expect((await request.post(`/api/v1/campaigns/${id}/items?format=native`, { headers: bearer(adminToken), data: [item] })).status()).toBe(200);
  expect((await request.post(`/api/v1/campaigns/${id}/members`, { headers: bearer(adminToken), data: { email: viewer.email } })).status()).toBe(201);
  return id;
}

/** Opens the campaign's task with a backend forced, waits for the hint, and reads what ran and the rewards. */
async function onnxHint(page: Page, campaign: string, query: string) {
  const messages: string[] = [];
  const collect = (m: { text(): string }) => messages.push(m.text());
  page.on("console", collect);
  const task = await openTask(page, query, campaign);
  const hint = page.locator("[data-rm-hint]");
  await expect(hint).not.toHaveAttribute("data-rm-status", "loading", { timeout: 90_000 });
  page.off("console", collect);
  expect(await hint.getAttribute("data-rm-status"), messages.join("\n")).toBe("ready");
  await expect(hint).toHaveAttribute("data-rm-via", "worker");
  return {
    task,
    backend: await hint.getAttribute("data-rm-backend"),
    placement: await hint.getAttribute("data-rm-placement"),
    rewards: await pageRewards(page),
    messages,
  };
}

const AGREEMENT = 1e-3;

for (const kind of TINY_TOKENIZER_KINDS) {
  test(`pretrained ONNX (${kind} tokenizer): the forward pass on WebGPU and on WASM give the same rewards, and data-rm-backend says which ran`, async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    const tiny = buildTinyOnnxRewardModel({ tokenizer: kind });
    const campaign = await onnxCampaign(request, tiny);
    await signIn(page, viewer);

    // Forced WebGPU runs on headless Chromium's SwiftShader adapter; onnxruntime's own log must put the model's nodes there.
    const gpu = await onnxHint(page, campaign, "?rmBackend=webgpu");
    expect(gpu.task.rewardModel).toMatchObject({ kind: "onnx", version: 0 });
    expect(gpu.backend).toBe("onnx-webgpu");
    expect(gpu.placement ?? "").toMatch(/nodes on WebGPU/);
    const wasm = await onnxHint(page, campaign, "?rmBackend=wasm");
    expect(wasm.backend).toBe("onnx-wasm");
    expect(wasm.placement).toBeNull();
    expect(wasm.task.candidates.map((c) => c.id).sort()).toEqual(gpu.task.candidates.map((c) => c.id).sort());

    // The Node reference: the same files through onnxruntime-web's WASM provider in Node.
    const scorer = await createOnnxRewardScorer({ ort, backend: "wasm", ...tiny });
    const prompt = rewardPromptText(gpu.task.item);
    const reference = await scorer.score(gpu.task.candidates.map((c) => ({ prompt, response: c.content })));
    await scorer.dispose();
    gpu.task.candidates.forEach((c, i) => {
      const onGpu = gpu.rewards[c.id] ?? Number.NaN;
      const onWasm = wasm.rewards[c.id] ?? Number.NaN;
      expect(Math.abs(onGpu - onWasm), `candidate ${c.id}: WebGPU ${onGpu} vs WASM ${onWasm}`).toBeLessThan(AGREEMENT);
      expect(Math.abs(onWasm - reference[i]!), `candidate ${c.id}: WASM vs Node`).toBeLessThan(TOLERANCE);
    });
    const best = gpu.task.candidates[reference.indexOf(Math.max(...reference))]!;
    expect(best.content).toContain("good and helpful");

    if (kind === "wordpiece") {
      // hintMode "always": the model's view is on screen without a choice, as a ranking of the three.
      const hint = page.locator("[data-rm-hint]");
      await expect(hint).toHaveAttribute("data-rm-visible", "true");
      await expect(page.getByRole("status").filter({ hasText: "Model's view:" })).toContainText("ranks");
      await expect(hint.locator("[data-rm-basis]")).toContainText("not validated on this campaign's votes");
      // auto prefers WebGPU only on a hardware adapter: on SwiftShader (or with no adapter) the forward pass stays on WASM, and the console says why.
      const auto = await onnxHint(page, campaign, "");
      const fallbackAdapter = await page.evaluate(async () => {
        const gpuApi = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu;
        const adapter = await gpuApi?.requestAdapter();
        return adapter ? Boolean(adapter.info?.isFallbackAdapter) : null;
      });
      if (fallbackAdapter !== false) {
        expect(auto.backend).toBe("onnx-wasm");
        expect(auto.messages.some((m) => /onnx-webgpu passed over: (only a fallback adapter|requestAdapter|navigator\.gpu)/.test(m))).toBe(true);
      } else expect(auto.backend).toBe("onnx-webgpu");
    }
  });
}
