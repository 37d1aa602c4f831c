import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "@playwright/test";
import { buildTinyOnnxRewardModel, plantedSignalPairs, TINY_TOKENIZER_KINDS, type TinyTokenizerKind } from "@arbiter/reward-model/testing";
import { scratchDatabase } from "../lib/databases.ts";
import { machineLine, summarize } from "../lib/figures.ts";
import { tokenFor } from "../lib/fixtures.ts";
import { http } from "../lib/http-client.ts";
import { launchApp } from "../lib/launch-app.ts";
import { benchArgs } from "./args.ts";

/**
 * Hint latency of a pretrained ONNX reward model per execution provider, in headless Chromium
 * (--enable-unsafe-webgpu: SwiftShader, a software WebGPU adapter here — its figures say nothing
 * about a real GPU): from the task form's first render to the model's view on screen
 * (`data-rm-visible-ms`; hintMode "always"), for the tiny generated models of each tokenizer kind
 * (src/testing/tiny-onnx-reward-model.ts: embedding bag + linear head; the forward pass is tiny,
 * so this measures the pipeline — worker, onnxruntime, tokenizer — not a transformer). The first
 * task of each page also loads onnxruntime and the model (cold). Usage:
 *   npx tsx scripts/bench/onnx-hint-latency.ts [--tasks 15] [--kinds wordpiece,bpe,unigram] [--port 3313]
 */
const args = benchArgs();
const tasksPerVariant = Number(args.tasks ?? 15);
const kinds = (args.kinds ?? TINY_TOKENIZER_KINDS.join(","))
  .split(",")
  .filter((k): k is TinyTokenizerKind => (TINY_TOKENIZER_KINDS as readonly string[]).includes(k));
const port = Number(args.port ?? 3313);
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

const variants: Array<{ name: string; query: string }> = [
  { name: "webgpu (forced, SwiftShader)", query: "?rmBackend=webgpu" },
  { name: "wasm", query: "?rmBackend=wasm" },
  { name: "auto", query: "" },
];

async function visible(page: Page): Promise<{ ms: number; backend: string }> {
  const hint = page.locator("[data-rm-hint][data-rm-visible-ms]");
  await hint.waitFor({ timeout: 120_000 });
  return { ms: Number(await hint.getAttribute("data-rm-visible-ms")), backend: (await hint.getAttribute("data-rm-backend")) ?? "" };
}

async function main() {
  const models = mkdtempSync(join(tmpdir(), "arbiter-bench-onnx-"));
  const db = await scratchDatabase("arbiter_bench_onnx_hints");
  const app = await launchApp({
    database: db,
    port,
    adminEmail: "bench@arbiter.local",
    adminPassword: "bench-password",
    env: { ARBITER_REWARD_MODELS_DIR: models },
  });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-unsafe-webgpu"],
  });
  const rows: string[] = [];
  try {
    const base = app.baseUrl;
    const admin = await tokenFor(base, "bench@arbiter.local", "bench-password");
    const pairs = plantedSignalPairs({ count: tasksPerVariant * variants.length + 5, seed: 5 });
    const account = { email: "viewer@bench.local", password: "annotator-pass" };
    let first = true;
    for (const kind of kinds) {
      const tiny = buildTinyOnnxRewardModel({ tokenizer: kind });
      mkdirSync(join(models, kind, "onnx"), { recursive: true });
      writeFileSync(join(models, kind, "onnx", "model.onnx"), tiny.model);
      writeFileSync(join(models, kind, "tokenizer.json"), JSON.stringify(tiny.tokenizer));
      writeFileSync(join(models, kind, "config.json"), JSON.stringify(tiny.config));
      writeFileSync(join(models, kind, "tokenizer_config.json"), JSON.stringify(tiny.tokenizerConfig));
      const campaign = (
        await http<{ id: string }>(base, "/api/v1/campaigns", {
          token: admin,
          body: {
            name: `onnx hint latency ${kind}`,
            taskType: "pairwise",
            status: "active",
            config: { overlap: 1, goldRate: 0, hintMode: "always", hintGate: "off", hintControlShare: 0, rewardModel: { kind: "onnx", path: kind } },
          },
        })
      ).data;
      const lines = pairs
        .map((p, i) => JSON.stringify({ id: `p-${i}`, prompt: p.prompt, responses: [{ content: p.chosen }, { content: p.rejected }] }))
        .join("\n");
      const imported = await http(base, `/api/v1/campaigns/${campaign.id}/items?format=native`, {
        token: admin,
        body: lines,
        headers: { "content-type": "application/x-ndjson" },
      });
      if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.data)}`);
      if (first) await http(base, "/api/v1/users", { token: admin, body: { ...account, role: "annotator", campaignId: campaign.id } });
      else await http(base, `/api/v1/campaigns/${campaign.id}/members`, { token: admin, body: { email: account.email } });
      first = false;

      for (const variant of variants) {
        const context = await browser.newContext({ baseURL: base });
        const page = await context.newPage();
        await page.goto("/login");
        await page.getByLabel("Email").fill(account.email);
        await page.getByLabel("Password").fill(account.password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL((url) => !url.pathname.startsWith("/login"));
        await page.goto(`/annotate/${campaign.id}${variant.query}`);
        const samples: number[] = [];
        let cold = Number.NaN;
        let backend = "";
        for (let t = 0; t < tasksPerVariant; t++) {
          const seen = await visible(page);
          backend = seen.backend;
          if (t === 0) cold = seen.ms;
          else samples.push(seen.ms);
          const firstId = await page.locator("form[aria-label=Task] [data-candidate-id]").first().getAttribute("data-candidate-id");
          await page.getByRole("button", { name: /^A is better/ }).click();
          await page.getByRole("button", { name: /^Submit/ }).click();
          await page.waitForFunction(
            (id) => document.querySelector("form[aria-label=Task] [data-candidate-id]")?.getAttribute("data-candidate-id") !== id,
            firstId,
            { timeout: 60_000 },
          );
        }
        const s = summarize(samples);
        rows.push(`| ${kind} | ${variant.name} | ${backend} | ${cold.toFixed(0)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.n} |`);
        console.log(rows[rows.length - 1]);
        await context.close();
      }
    }
    console.log(`\n${machineLine()}, Chromium headless --enable-unsafe-webgpu (SwiftShader: a software adapter)`);
    console.log(
      "| tokenizer | variant | backend that ran | first task, cold (ms) | median warm (ms) | p95 warm (ms) | warm tasks |\n|---|---|---|---:|---:|---:|---:|",
    );
    for (const row of rows) console.log(row);
  } finally {
    await browser.close();
    await app.stop();
    await db.drop();
    rmSync(models, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
