import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { parquetWriteBuffer } from "hyparquet-writer";
import { apiToken, bearer, demo, signIn } from "./helpers";

/**
 * Issue 17: the annotation desk. Gold is an explicit choice per import (item 1) and the comparison
 * is compact (item 2): these tests assert what an annotator and an admin see, geometry included.
 */

const HH_RLHF = new URL("../../shared/data/hh-rlhf_harmless-base_test.jsonl.gz", import.meta.url);
/** The longest six-turn conversation of the harmless-base test split (0-based line): five turns of context, then the two answers. */
const SIX_TURN_LINE = 1272;

function hhRlhfLine(index: number): string {
  const lines = gunzipSync(readFileSync(HH_RLHF)).toString("utf8").split("\n");
  return lines[index]!;
}

async function activeCampaign(request: APIRequestContext, admin: string, name: string, config: Record<string, unknown>): Promise<string> {
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `${name} ${Date.now()}`, taskType: "pairwise", status: "active", config },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

async function sixTurnCampaign(request: APIRequestContext): Promise<string> {
  const admin = await apiToken(request, demo.admin);
  const campaignId = await activeCampaign(request, admin, "Six turns", { overlap: 3, goldRate: 0, strengthScale: true });
  const imported = await request.post(`/api/v1/campaigns/${campaignId}/items?format=hh-rlhf`, {
    headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
    data: hhRlhfLine(SIX_TURN_LINE) + "\n",
  });
  expect(imported.status()).toBe(200);
  for (const who of [demo.annotator1, demo.annotator3]) {
    expect((await request.post(`/api/v1/campaigns/${campaignId}/members`, { headers: bearer(admin), data: { email: who.email } })).status()).toBe(201);
  }
  return campaignId;
}

/** The first rendered line of a response: its first block of text. */
async function firstLineBox(candidate: Locator) {
  const first = candidate.locator(".markdown > *").first();
  await expect(first).toBeVisible();
  const box = (await first.boundingBox())!;
  const lineHeight = await first.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 24);
  return { top: box.y, bottom: box.y + Math.min(box.height, lineHeight), left: box.x };
}

async function barBox(page: Page) {
  return (await page.getByRole("group", { name: "Decision" }).boundingBox())!;
}

test("a six-turn hh-rlhf item at 1280×800: earlier turns folded, both responses' first lines on screen, a one-line action bar", async ({
  page,
  request,
}, testInfo) => {
  const campaignId = await sixTurnCampaign(request);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, demo.annotator1);
  await page.goto(`/annotate/${campaignId}`);

  const a = page.getByRole("region", { name: "Response A" });
  const b = page.getByRole("region", { name: "Response B" });
  await expect(a).toBeVisible();
  const prompt = page.getByRole("region", { name: "Prompt" });
  await expect(prompt.getByRole("button", { name: "Show 4 earlier turns" })).toBeVisible();
  await expect(prompt.getByRole("listitem")).toHaveCount(1);

  const bar = await barBox(page);
  expect(bar.height).toBeLessThanOrEqual(96);
  expect(bar.y + bar.height).toBeLessThanOrEqual(800 + 0.5);
  const lineA = await firstLineBox(a);
  const lineB = await firstLineBox(b);
  for (const line of [lineA, lineB]) {
    expect(line.top).toBeGreaterThanOrEqual(0);
    // Inside the viewport and not under the sticky action bar.
    expect(line.bottom).toBeLessThanOrEqual(bar.y);
  }
  // Side by side: the same row, B to the right of A.
  expect(Math.abs(lineA.top - lineB.top)).toBeLessThan(2);
  expect(lineB.left).toBeGreaterThan(lineA.left + 400);
  await page.screenshot({ path: testInfo.outputPath("pairwise-1280x800.png") });

  // A choice brings the strength in, on the same line.
  await page.keyboard.press("1");
  await expect(page.getByRole("radiogroup", { name: "Strength" })).toBeVisible();
  const withStrength = await barBox(page);
  expect(withStrength.height).toBeLessThanOrEqual(96);
  expect((await firstLineBox(b)).bottom).toBeLessThanOrEqual(withStrength.y);
  // Nothing in the bar is cut off: its last control ends inside it.
  const skip = (await page.getByRole("button", { name: /^Skip/ }).boundingBox())!;
  expect(skip.x + skip.width).toBeLessThanOrEqual(withStrength.x + withStrength.width);
  await page.screenshot({ path: testInfo.outputPath("pairwise-1280x800-strength.png") });

  // Each response scrolls on its own when long; the page does not have to.
  for (const candidate of [a, b]) {
    const overflow = await candidate.evaluate((el) => getComputedStyle(el).overflowY);
    expect(overflow).toBe("auto");
  }

  // The earlier turns are one click away.
  await prompt.getByRole("button", { name: "Show 4 earlier turns" }).click();
  await expect(prompt.getByRole("listitem")).toHaveCount(5);
  await expect(prompt.getByRole("button", { name: "Hide 4 earlier turns" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("pairwise-1280x800-expanded.png") });
});

test("the same item at 390×844: responses stacked, each label stays in view while its response is read", async ({ page, request }, testInfo) => {
  const campaignId = await sixTurnCampaign(request);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, demo.annotator3);
  await page.goto(`/annotate/${campaignId}`);

  const a = page.getByRole("region", { name: "Response A" });
  const b = page.getByRole("region", { name: "Response B" });
  await expect(a).toBeVisible();
  const boxA = (await a.boundingBox())!;
  const boxB = (await b.boundingBox())!;
  expect(boxB.y).toBeGreaterThanOrEqual(boxA.y + boxA.height - 1);
  expect(boxA.width).toBeLessThanOrEqual(390);
  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: testInfo.outputPath("pairwise-390x844.png"), fullPage: true });

  // Scrolled into the middle of response A, its label is pinned to the top of the screen.
  const into = boxA.y + Math.min(200, boxA.height / 2);
  await page.evaluate((y) => window.scrollTo(0, y), into);
  const label = a.getByRole("heading", { name: "Response A" });
  await expect.poll(async () => (await label.boundingBox())!.y, { message: "the Response A label sticks to the top" }).toBeGreaterThanOrEqual(-0.5);
  expect((await label.boundingBox())!.y).toBeLessThanOrEqual(2);
  await page.screenshot({ path: testInfo.outputPath("pairwise-390x844-scrolled.png") });
});

test("gold is an explicit choice per import, counted on the page, and a campaign of gold alone cannot start", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Gold choice ${Date.now()}`, taskType: "pairwise", config: { overlap: 1, goldRate: 0.1 } },
  });
  const campaignId = ((await created.json()) as { id: string }).id;
  expect((await request.post(`/api/v1/campaigns/${campaignId}/members`, { headers: bearer(admin), data: { email: demo.annotator2.email } })).status()).toBe(
    201,
  );
  const llmbar = (tag: string) =>
    Buffer.from(JSON.stringify(Array.from({ length: 3 }, (_, i) => ({ input: `${tag} question ${i}`, output_1: "one", output_2: "two", label: 1 + (i % 2) }))));

  await signIn(page, demo.admin);
  await page.goto(`/campaigns/${campaignId}`);
  const importForm = page.getByRole("region", { name: "Import items" });
  // Labels as gold: the admin says yes; every item becomes a check.
  await importForm.getByRole("radio", { name: /^Yes/ }).check();
  await importForm.getByLabel("Items file").setInputFiles({ name: "gold.json", mimeType: "application/json", buffer: llmbar("gold") });
  await importForm.getByRole("button", { name: "Upload and import" }).click();
  await expect(importForm.getByRole("status").filter({ hasText: "Imported 3 items (format llmbar): 3 gold / 0 regular" })).toBeVisible();
  await expect(page.getByTestId("item-counts")).toContainText("3 gold / 0 regular");

  // Starting now is refused, with the reason.
  const status = page.getByRole("group", { name: "Campaign status" });
  await status.getByRole("button", { name: "Start campaign" }).click();
  await expect(status.getByRole("alert")).toContainText("no regular items: all 3 items are gold checks");
  await expect(status.getByRole("button", { name: "Start campaign" })).toBeVisible();

  // The default is no: the file's labels are reported, not used.
  await page.reload();
  await expect(importForm.getByRole("radio", { name: /^No/ })).toBeChecked();
  await importForm.getByLabel("Items file").setInputFiles({ name: "regular.json", mimeType: "application/json", buffer: llmbar("regular") });
  await importForm.getByRole("button", { name: "Upload and import" }).click();
  await expect(importForm.getByRole("status").filter({ hasText: "3 gold / 0 regular" })).toHaveCount(0);
  await expect(importForm.getByRole("status")).toContainText("Imported 3 items (format llmbar): 0 gold / 3 regular; 3 items carried a label in the file");
  await expect(page.getByTestId("item-counts")).toContainText("3 gold / 3 regular");
  await status.getByRole("button", { name: "Start campaign" }).click();
  await expect(status.getByRole("button", { name: "Pause" })).toBeVisible();
});

test("import feedback adds up: one row per bad line, counts per kind, no empty Array element column", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Import feedback ${Date.now()}`, taskType: "pairwise", config: { overlap: 1, goldRate: 0 } },
  });
  const campaignId = ((await created.json()) as { id: string }).id;
  const item = (id: string) => JSON.stringify({ id, prompt: `Prompt ${id}`, responses: [{ content: "yes" }, { content: "no" }] });
  expect(
    (
      await request.post(`/api/v1/campaigns/${campaignId}/items?format=native`, {
        headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
        data: [item("old-1"), item("old-2")].join("\n"),
      })
    ).status(),
  ).toBe(200);

  await signIn(page, demo.admin);
  await page.goto(`/campaigns/${campaignId}`);
  const importForm = page.getByRole("region", { name: "Import items" });

  // Three hh-rlhf lines forced as LLMBar: three rows, not one per missing field.
  const hh = [0, 1, 2].map((n) => hhRlhfLine(n)).join("\n") + "\n";
  await importForm.getByLabel("Format").selectOption("llmbar");
  await importForm.getByLabel("Items file").setInputFiles({ name: "hh.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(hh) });
  await importForm.getByRole("button", { name: "Upload and import" }).click();
  await expect(importForm.getByRole("alert")).toContainText("3 lines refused (3 invalid records); nothing was imported");
  const table = importForm.getByRole("table", { name: "Import problems" });
  await expect(table.getByRole("row")).toHaveCount(4);
  await expect(table.getByRole("columnheader")).toHaveText(["Line", "Problem"]);
  await expect(importForm.getByTestId("problem-counts")).toHaveText("3 lines: 3 invalid records");

  // Invalid, repeated in the file and already in the campaign: counted apart, adding up to the table.
  await importForm.getByLabel("Format").selectOption("auto");
  const mixed = [item("old-1"), item("n-1"), item("n-1"), JSON.stringify({ id: "n-2", prompt: 3 }), item("old-2")].join("\n");
  await importForm.getByLabel("Items file").setInputFiles({ name: "mixed.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(mixed) });
  await importForm.getByRole("button", { name: "Upload and import" }).click();
  await expect(importForm.getByRole("alert")).toContainText("4 lines refused (1 invalid record, 1 id repeated in the file, 2 ids already in the campaign)");
  await expect(table.getByRole("row")).toHaveCount(5);
  await expect(importForm.getByTestId("problem-counts")).toHaveText("4 lines: 1 invalid record · 1 id repeated in the file · 2 ids already in the campaign");
});

test("the import page takes a Parquet file: a bad row is listed by row number, a good file imports", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Parquet import ${Date.now()}`, taskType: "pairwise", config: { overlap: 1, goldRate: 0 } },
  });
  const campaignId = ((await created.json()) as { id: string }).id;
  const rows = [0, 1, 2, 3, 4];
  const trl = (badRow?: number) =>
    Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: "prompt", data: rows.map((i) => `Parquet question ${i}?`), type: "STRING" },
          { name: "chosen", data: rows.map((i) => (i + 1 === badRow ? null : `Yes ${i}`)), type: "STRING", nullable: true },
          { name: "rejected", data: rows.map((i) => `No ${i}`), type: "STRING" },
        ],
        rowGroupSize: 2,
      }),
    );

  await signIn(page, demo.admin);
  await page.goto(`/campaigns/${campaignId}`);
  const importForm = page.getByRole("region", { name: "Import items" });
  await expect(importForm.getByLabel("Items file")).toHaveAttribute("accept", /\.parquet/);

  await importForm.getByLabel("Items file").setInputFiles({ name: "train-00000-of-00001.parquet", mimeType: "application/octet-stream", buffer: trl(4) });
  await importForm.getByRole("button", { name: "Upload and import" }).click();
  await expect(importForm.getByRole("alert")).toContainText("1 row refused (1 invalid record); nothing was imported. First: row 4: chosen:");
  const table = importForm.getByRole("table", { name: "Import problems" });
  await expect(table.getByRole("columnheader")).toHaveText(["Row", "Problem"]);
  await expect(table.getByRole("cell")).toHaveText(["4", /^row 4: chosen: /]);
  await expect(importForm.getByTestId("problem-counts")).toHaveText("1 row: 1 invalid record");

  await importForm.getByLabel("Items file").setInputFiles({ name: "train-00000-of-00001.parquet", mimeType: "application/octet-stream", buffer: trl() });
  await importForm.getByRole("button", { name: "Upload and import" }).click();
  await expect(importForm.getByRole("status")).toContainText("Imported 5 items (format trl)");
});
