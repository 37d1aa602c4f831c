import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

const items = [
  {
    id: "cb-1",
    prompt: "What is the capital of France?",
    responses: [
      { id: "a", content: "Paris.", model: "m1" },
      { id: "b", content: "Lyon.", model: "m2" },
    ],
  },
  {
    id: "cb-2",
    prompt: "2 + 2 = ?",
    responses: [
      { id: "a", content: "4", model: "m1" },
      { id: "b", content: "5", model: "m2" },
    ],
  },
  {
    id: "cb-3",
    prompt: "Name a primary colour.",
    responses: [
      { id: "a", content: "Red", model: "m1" },
      { id: "b", content: "Green", model: "m2" },
    ],
  },
];

test("an admin builds a campaign, imports a JSONL file through the upload form, starts it and exports it", async ({ page, request }) => {
  const name = `Builder e2e ${Date.now()}`;
  await signIn(page, demo.admin);
  await page.getByRole("link", { name: "New campaign (guided builder)" }).click();
  await expect(page.getByRole("heading", { name: "New campaign" })).toBeVisible();

  const settings = page.getByRole("form", { name: "Campaign settings" });
  const preview = page.getByRole("region", { name: "Annotator preview" });
  await settings.getByLabel("Campaign name").fill(name);
  // The live preview follows the task kind: K-wise shows K responses to rank, pairwise two.
  await settings.getByRole("radio", { name: /K-wise ranking/ }).check();
  await settings.getByLabel("K (responses shown per task)").fill("3");
  await expect(preview.getByRole("list", { name: "Ranking, best first" }).getByRole("listitem")).toHaveCount(3);
  await settings.getByRole("radio", { name: /^Pairwise/ }).check();
  await settings.getByLabel("Ask how much better (strength 1–3)").check();
  await expect(preview.getByRole("region", { name: "Response B" })).toBeVisible();
  await preview.getByRole("button", { name: /A is better/ }).click();
  await expect(preview.getByRole("radiogroup", { name: "Strength" })).toBeVisible();
  await expect(preview.getByRole("button", { name: /Submit/ })).toBeDisabled();

  await settings.getByRole("tab", { name: "Write" }).click();
  await settings.getByLabel("Guidelines (markdown)").fill("# Be careful\n\nPrefer **correct** answers.");
  await settings.getByRole("tab", { name: "Preview" }).click();
  await expect(settings.getByRole("heading", { name: "Be careful" })).toBeVisible();
  await settings.getByLabel("Overlap (human judgments per item)").fill("1");
  await settings.getByLabel("Gold rate (% of tasks that are gold checks)").fill("0");
  await settings.getByLabel("License of the exported dataset").fill("cc-by-4.0");
  await expect(settings.getByText("Configured in the routing settings.").first()).toBeVisible();
  await settings.getByRole("button", { name: "Create campaign" }).click();

  await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]+\/edit\?created=1$/);
  const campaignId = page.url().match(/campaigns\/([0-9a-f-]+)\/edit/)![1]!;

  // A bad file first: refused whole, the bad line listed in a table.
  const importForm = page.getByRole("region", { name: "Import items" });
  const itemsFile = importForm.getByLabel("Items file");
  await itemsFile.setInputFiles({
    name: "bad.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(`${JSON.stringify(items[0])}\n{"id":"x","prompt":"p","responses":[{"content":"only one"}]}\n`),
  });
  await importForm.getByRole("button", { name: "Upload and import" }).click();
  await expect(importForm.getByRole("alert")).toContainText("nothing was imported");
  await expect(importForm.getByRole("table", { name: "Import problems" }).getByRole("row").nth(1)).toContainText("2");
  await expect(importForm.getByRole("table", { name: "Import problems" })).toContainText("at least two responses");

  await itemsFile.setInputFiles({
    name: "items.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(items.map((i) => JSON.stringify(i)).join("\n") + "\n"),
  });
  await expect(importForm.getByLabel("Format")).toHaveValue("auto");
  await importForm.getByRole("button", { name: "Upload and import" }).click();
  await expect(importForm.getByRole("status").filter({ hasText: "Imported 3 items (format native)" })).toBeVisible();

  const members = page.getByRole("region", { name: "Members" });
  await members.getByLabel("Add an annotator by email").fill(demo.annotator3.email);
  await members.getByRole("button", { name: "Add member" }).click();
  await expect(members.getByRole("table", { name: "Campaign members" })).toContainText(demo.annotator3.email);
  await members.getByRole("button", { name: "Create invite link" }).click();
  await expect(members.getByLabel("Invite link")).toHaveValue(/\/invite\//);

  const status = page.getByRole("group", { name: "Campaign status" });
  await status.getByRole("button", { name: "Start campaign" }).click();
  await expect(status.getByRole("button", { name: "Pause" })).toBeVisible();

  // One judgment through the API, as a script or the annotator page would send it.
  const annotator = await apiToken(request, demo.annotator3);
  const task = await (await request.get(`/api/v1/campaigns/${campaignId}/tasks/next`, { headers: bearer(annotator) })).json();
  const winner = task.candidates[0].id as string;
  const judged = await request.post(`/api/v1/assignments/${task.assignmentId}/judgment`, {
    headers: { ...bearer(annotator), "idempotency-key": `e2e-${task.assignmentId}` },
    data: { winner, strength: 2 },
  });
  expect(judged.status()).toBe(201);
  const judgmentId = (await judged.json()).id as string;

  // Turning the strength scale off now affects that judgment: the builder asks first.
  await page.reload();
  await page.getByRole("form", { name: "Campaign settings" }).getByLabel("Ask how much better (strength 1–3)").uncheck();
  await page.getByRole("button", { name: "Save changes" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Change settings of a campaign with judgments?" });
  await expect(dialog).toContainText("strength scale");
  await dialog.getByRole("button", { name: "Apply anyway" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  // The researcher's view: the judgment in the browser, and the export downloads.
  await page.getByRole("link", { name: "Campaign page (progress, judgments, export)" }).click();
  await expect(page.getByRole("table", { name: "Judgment list" }).getByRole("row")).toHaveCount(2);
  const exportPanel = page.getByRole("region", { name: "Export" });
  await exportPanel.getByLabel("Format").selectOption("raw");
  const [download] = await Promise.all([page.waitForEvent("download"), exportPanel.getByRole("link", { name: "Download JSONL" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^builder-e2e-\d+-raw-all\.jsonl$/);
  const lines = (await readFile((await download.path())!, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(1);
  const itemId = lines[0].itemId as string;
  const chosen = items.find((i) => i.id === itemId)!;
  expect(lines[0]).toMatchObject({ id: judgmentId, source: "human", verdict: "winner", strength: 2, candidateIds: ["a", "b"] });
  expect(lines[0].annotator).toMatch(/^ann-[0-9a-f]{12}$/);
  expect(chosen.responses.map((r) => r.id)).toContain(lines[0].winnerId);
  expect(JSON.stringify(lines[0])).not.toContain(demo.annotator3.email);

  const [zip] = await Promise.all([page.waitForEvent("download"), exportPanel.getByRole("link", { name: "ZIP: Parquet + README" }).click()]);
  expect(zip.suggestedFilename()).toMatch(/-raw-all-parquet\.zip$/);
  const card = await page.request.get(`/api/v1/campaigns/${campaignId}/export/card?format=raw`);
  expect(card.status()).toBe(200);
  expect(await card.text()).toMatch(/^---\nlicense: "cc-by-4.0"/);

  // Annotators cannot export.
  const forbidden = await request.get(`/api/v1/campaigns/${campaignId}/export?format=raw`, { headers: bearer(annotator) });
  expect(forbidden.status()).toBe(403);
});

test("the builder warns when the hint gate is off, and offers the judge's verdict as the hint only with a judge", async ({ page, request }) => {
  await signIn(page, demo.admin);
  await page.getByRole("link", { name: "New campaign (guided builder)" }).click();
  const settings = page.getByRole("form", { name: "Campaign settings" });
  const warning = settings.getByRole("note").filter({ hasText: "The hint gate is off" });
  await expect(settings.getByLabel("Hint gate")).toHaveValue("auto");
  await expect(warning).toHaveCount(0);
  // No judge on a new campaign: the judge's verdict cannot be the hint yet.
  await expect(settings.getByLabel("Hint source").locator('option[value="judge"]')).toBeDisabled();

  await settings.getByLabel("Hint gate").selectOption("off");
  await expect(warning).toBeVisible();
  await expect(warning).toContainText("annotators see the model's view whatever its validation says");
  await expect(warning).toContainText("use this only for an experiment");
  // Hints off: nothing to gate, no warning.
  await settings.getByLabel("Hint", { exact: true }).selectOption("off");
  await expect(warning).toHaveCount(0);
  await settings.getByLabel("Hint", { exact: true }).selectOption("always");
  await expect(warning).toBeVisible();

  // Saved as set; a campaign with a judge offers it as the source, and the warning names it.
  const name = `Builder gate e2e ${Date.now()}`;
  await settings.getByLabel("Campaign name").fill(name);
  await settings.getByRole("button", { name: "Create campaign" }).click();
  await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]+\/edit\?created=1$/);
  const campaignId = page.url().match(/campaigns\/([0-9a-f-]+)\/edit/)![1]!;
  const admin = await apiToken(request, demo.admin);
  const read = await request.get(`/api/v1/campaigns/${campaignId}`, { headers: bearer(admin) });
  expect(((await read.json()) as { config: Record<string, unknown> }).config).toMatchObject({
    hintGate: "off",
    hintMode: "always",
    hintSource: "reward-model",
  });

  const patched = await request.patch(`/api/v1/campaigns/${campaignId}`, {
    headers: bearer(admin),
    data: { config: { judge: { enabled: false, baseUrl: "http://127.0.0.1:9/v1", model: "judge-model" } } },
  });
  expect(patched.status(), await patched.text()).toBe(200);
  await page.reload();
  await expect(settings.getByLabel("Hint source").locator('option[value="judge"]')).toBeEnabled();
  await settings.getByLabel("Hint source").selectOption("judge");
  await expect(warning).toContainText("annotators see the judge's verdict whatever its validation says");
});
