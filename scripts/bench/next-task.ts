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
 * Enter → next task visible, in headless Chromium against the production build (issue 17 item 5).
 * One annotator judges real hh-rlhf pairs by keyboard ("1", Enter). The page's clock: from the
 * Enter keydown (performance.now() in a capture listener, before the page handles it) to the first
 * animation frame after the next task's form is in the DOM (`form[data-assignment-id]` changed).
 * Variants by think time between a task showing and its keys: a reading annotator (the prefetch
 * is back) and one who presses at once (the prefetch may still be on its way: the page then shows
 * "Loading the next task…" and keeps the keys). Usage:
 *   npx tsx scripts/bench/next-task.ts [--tasks 40] [--think 1000,0] [--port 3314]
 */
const args = benchArgs();
const tasks = Number(args.tasks ?? 40);
const thinks = String(args.think ?? "1000,0")
  .split(",")
  .map(Number);
const port = Number(args.port ?? 3314);
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const dataFile = join(resolve(process.cwd(), "../shared/data"), HH_RLHF_FILE);

type Probe = { samples: number[]; loadingFrames: number };

/** Installed before the page's own scripts: the Enter → next-form clock and a count of loading frames. */
function installProbe() {
  const w = window as unknown as { __probe: Probe };
  w.__probe = { samples: [], loadingFrames: 0 };
  let pending: { t0: number; from: string | null } | null = null;
  const current = () => document.querySelector("form[data-assignment-id]")?.getAttribute("data-assignment-id") ?? null;
  window.addEventListener(
    "keydown",
    (e) => {
      if (e.key === "Enter" && e.isTrusted && !pending) pending = { t0: performance.now(), from: current() };
    },
    true,
  );
  new MutationObserver(() => {
    if (document.querySelector("main [role=status]")?.textContent?.includes("Loading the next task")) w.__probe.loadingFrames++;
    if (!pending) return;
    const now = current();
    if (now && now !== pending.from) {
      const { t0 } = pending;
      pending = null;
      requestAnimationFrame(() => w.__probe.samples.push(performance.now() - t0));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-assignment-id"] });
}

async function main() {
  if (!existsSync(dataFile)) {
    console.log(`skipped: ${dataFile} is not there`);
    return;
  }
  const pairs = loadHhRlhf(dataFile).pairs;
  const db = await scratchDatabase("arbiter_bench_next_task");
  const app = await launchApp({ database: db, port, adminEmail: "bench@arbiter.local", adminPassword: "bench-password" });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const rows: string[] = [];
  try {
    const base = app.baseUrl;
    const admin = await tokenFor(base, "bench@arbiter.local", "bench-password");
    for (const think of thinks) {
      const campaign = (
        await http<{ id: string }>(base, "/api/v1/campaigns", {
          token: admin,
          body: { name: `next task ${think}`, taskType: "pairwise", status: "draft", config: { overlap: 1, goldRate: 0, hintMode: "off" } },
        })
      ).data;
      const lines = pairs
        .slice(0, tasks + 5)
        .map((p, i) => JSON.stringify({ id: `hh-${i}`, prompt: p.prompt, responses: [{ content: p.chosen }, { content: p.rejected }] }))
        .join("\n");
      const imported = await http(base, `/api/v1/campaigns/${campaign.id}/items?format=native`, {
        token: admin,
        body: lines,
        headers: { "content-type": "application/x-ndjson" },
      });
      if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.data)}`);
      const account = { email: `reader-${think}@bench.local`, password: "annotator-pass" };
      await http(base, "/api/v1/users", { token: admin, body: { ...account, role: "annotator", campaignId: campaign.id } });
      await http(base, `/api/v1/campaigns/${campaign.id}/status`, { token: admin, body: { status: "active" } });

      const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
      const page: Page = await context.newPage();
      // As source text: the bench runs under tsx, whose name-keeping helpers do not exist in the page.
      await page.addInitScript({ content: `(${installProbe.toString().replace(/__name\(([^,]+),\s*"[^"]*"\)/g, "$1")})()` });
      await page.goto("/login");
      await page.getByLabel("Email").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
      await page.goto(`/annotate/${campaign.id}`);
      await page.locator("form[data-assignment-id]").waitFor();
      await page.bringToFront();
      // The first task's own load does not count.
      await page.evaluate(() => ((window as unknown as { __probe: Probe }).__probe.loadingFrames = 0));
      for (let t = 0; t < tasks; t++) {
        if (think > 0) await page.waitForTimeout(think);
        await page.keyboard.press("1");
        await page.keyboard.press("Enter");
        await page
          .waitForFunction((n) => (window as unknown as { __probe: Probe }).__probe.samples.length > n, t, { timeout: 30_000 })
          .catch(async (error: unknown) => {
            const state = await page.evaluate(() => ({
              probe: (window as unknown as { __probe: Probe }).__probe,
              text: document.querySelector(".status-text")?.textContent,
              pressed: document.querySelector("[aria-pressed=true]")?.textContent,
              active: document.activeElement?.tagName,
            }));
            throw new Error(`task ${t}: no next task seen (${JSON.stringify(state)})`, { cause: error });
          });
      }
      await page.getByText("All judgments saved").waitFor({ timeout: 60_000 });
      const probe = await page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);
      const judged = await http<{ judged: number }>(base, `/api/v1/campaigns/${campaign.id}/my-progress`, {
        token: await tokenFor(base, account.email, account.password),
      });
      const s = summarize(probe.samples);
      rows.push(
        `| ${think === 0 ? "keys at once (think 0)" : `reading (think ${think} ms)`} | ${s.n} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} | ${probe.loadingFrames} | ${judged.data.judged} |`,
      );
      console.log(rows[rows.length - 1]);
      await context.close();
    }
    console.log(`\n${machineLine()}, Chromium headless, 1280×800, production build, local PostgreSQL`);
    console.log(
      '| annotator | tasks | Enter → next task visible p50 (ms) | p95 (ms) | max (ms) | DOM changes showing "Loading the next task…" | judgments stored (of tasks) |\n|---|---:|---:|---:|---:|---:|---:|',
    );
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
