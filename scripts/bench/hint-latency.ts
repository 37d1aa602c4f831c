import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Page } from "@playwright/test";
import { HH_RLHF_FILE, loadHhRlhf } from "@arbiter/reward-model/testing";
import { scratchDatabase } from "../lib/databases.ts";
import { machineLine, summarize } from "../lib/figures.ts";
import { tokenFor } from "../lib/fixtures.ts";
import { http } from "../lib/http-client.ts";
import { launchApp } from "../lib/launch-app.ts";
import { benchArgs } from "./args.ts";

/**
 * Reward-model hint latency in headless Chromium (--enable-unsafe-webgpu: SwiftShader, a
 * software WebGPU adapter here): from the task form's first render to the model's view on
 * screen (`data-rm-visible-ms`, the hint panel's own clock; hintMode "always"), per backend.
 * The first task of each page also starts the worker and downloads the weights (cold); the
 * rest reuse them (warm). Real hh-rlhf prompts and responses from ../shared/data; a model
 * trained on 200 votes. Usage:
 *   npx tsx scripts/bench/hint-latency.ts [--tasks 30] [--votes 200] [--port 3312]
 */
const args = benchArgs();
const tasksPerBackend = Number(args.tasks ?? 30);
const votes = Number(args.votes ?? 200);
const port = Number(args.port ?? 3312);
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const dataFile = join(resolve(process.cwd(), "../shared/data"), HH_RLHF_FILE);

const variants: Array<{ name: string; query: string }> = [
  { name: "webgpu (worker, SwiftShader)", query: "?rmBackend=webgpu" },
  { name: "wasm (worker)", query: "?rmBackend=wasm" },
  { name: "js (worker)", query: "?rmBackend=js" },
  { name: "js (page thread, no worker)", query: "?rmBackend=js&rmWorker=off" },
  { name: "auto (worker)", query: "" },
];

async function visibleMs(page: Page): Promise<{ ms: number; backend: string }> {
  const hint = page.locator("[data-rm-hint][data-rm-visible-ms]");
  await hint.waitFor({ timeout: 60_000 });
  return { ms: Number(await hint.getAttribute("data-rm-visible-ms")), backend: (await hint.getAttribute("data-rm-backend")) ?? "" };
}

async function main() {
  if (!existsSync(dataFile)) {
    console.log(`skipped: ${dataFile} is not there`);
    return;
  }
  const pairs = loadHhRlhf(dataFile).pairs;
  const db = await scratchDatabase("arbiter_bench_hints");
  const app = await launchApp({ database: db, port, adminEmail: "bench@arbiter.local", adminPassword: "bench-password" });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-unsafe-webgpu"],
  });
  try {
    const base = app.baseUrl;
    const admin = await tokenFor(base, "bench@arbiter.local", "bench-password");
    const campaign = (
      await http<{ id: string }>(base, "/api/v1/campaigns", {
        token: admin,
        body: {
          name: "hint latency",
          taskType: "pairwise",
          status: "active",
          config: { overlap: 1, goldRate: 0, hintMode: "always", hintGate: "off", hintControlShare: 0 },
        },
      })
    ).data;
    const chosen = new Set(pairs.map((p) => p.chosen));
    const lines = pairs
      .map((p, i) => JSON.stringify({ id: `hh-${i}`, prompt: p.prompt, responses: [{ content: p.chosen }, { content: p.rejected }] }))
      .join("\n");
    const imported = await http(base, `/api/v1/campaigns/${campaign.id}/items?format=native`, {
      token: admin,
      body: lines,
      headers: { "content-type": "application/x-ndjson" },
    });
    if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.data)}`);
    const accounts = ["seeder", "viewer"].map((who) => ({ email: `${who}@bench.local`, password: "annotator-pass" }));
    for (const a of accounts) await http(base, "/api/v1/users", { token: admin, body: { ...a, role: "annotator", campaignId: campaign.id } });
    const seeder = (await http<{ token: string }>(base, "/api/v1/tokens", { body: accounts[0] })).data.token;
    for (let i = 0; i < votes; i++) {
      const next = await http<{ assignmentId: string; candidates: Array<{ id: string; content: string }> }>(
        base,
        `/api/v1/campaigns/${campaign.id}/tasks/next`,
        { token: seeder },
      );
      const winner = next.data.candidates.find((c) => chosen.has(c.content)) ?? next.data.candidates[0]!;
      await http(base, `/api/v1/assignments/${next.data.assignmentId}/judgment`, {
        token: seeder,
        body: { winner: winner.id },
        headers: { "idempotency-key": randomUUID() },
      });
    }
    const t0 = performance.now();
    const trained = await http<{ version: number; heldOutAccuracy: number; trainingMs: number; bytes: number }>(
      base,
      `/api/v1/campaigns/${campaign.id}/reward-model/train`,
      { method: "POST", token: admin },
    );
    const requestMs = performance.now() - t0;
    if (trained.status !== 201) throw new Error(`training failed: ${JSON.stringify(trained.data)}`);
    console.log(
      `model v${trained.data.version}: ${votes} votes, ${(trained.data.bytes / 1024).toFixed(0)} KiB, featurize + train ${trained.data.trainingMs?.toFixed(0)} ms, POST /reward-model/train ${requestMs.toFixed(0)} ms (reads the votes, trains, stores), held-out accuracy ${(100 * trained.data.heldOutAccuracy).toFixed(1)} %`,
    );

    const rows: string[] = [];
    for (const variant of variants) {
      const context = await browser.newContext({ baseURL: base });
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByLabel("Email").fill(accounts[1]!.email);
      await page.getByLabel("Password").fill(accounts[1]!.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
      await page.goto(`/annotate/${campaign.id}${variant.query}`);
      const samples: number[] = [];
      let cold = Number.NaN;
      let backend = "";
      for (let t = 0; t < tasksPerBackend; t++) {
        const seen = await visibleMs(page);
        backend = seen.backend;
        if (t === 0) cold = seen.ms;
        else samples.push(seen.ms);
        // Next task: choose A and submit (the next one is already prefetched).
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
      rows.push(`| ${variant.name} | ${backend} | ${cold.toFixed(0)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.n} |`);
      console.log(rows[rows.length - 1]);
      await context.close();
    }
    console.log(`\n${machineLine()}, Chromium headless --enable-unsafe-webgpu (SwiftShader: a software adapter)`);
    console.log("| variant | backend that ran | first task, cold (ms) | median warm (ms) | p95 warm (ms) | warm tasks |\n|---|---|---:|---:|---:|---:|");
    for (const row of rows) console.log(row);
  } finally {
    await browser.close();
    await app.stop();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
