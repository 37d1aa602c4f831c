import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

async function campaignIdByName(request: APIRequestContext, token: string, name: string): Promise<string> {
  const list = (await (await request.get("/api/v1/campaigns", { headers: bearer(token) })).json()) as Array<{ id: string; name: string }>;
  const found = list.find((c) => c.name === name);
  expect(found, name).toBeTruthy();
  return found!.id;
}

async function judgmentsOf(request: APIRequestContext, token: string, campaignId: string) {
  const response = await request.get(`/api/v1/campaigns/${campaignId}/judgments?source=human`, { headers: bearer(token) });
  expect(response.status()).toBe(200);
  return (await response.json()).judgments as Array<Record<string, unknown> & { annotatorEmail: string }>;
}

type Kind = "pairwise" | "kwise" | "rationale";

const sampleItems: Record<Kind, object[]> = {
  pairwise: [
    {
      id: "p-1",
      prompt: "Explain in two sentences why the sky is blue.",
      responses: [
        { id: "a", content: "Sunlight scatters off air molecules, and blue light scatters most (**Rayleigh scattering**).", model: "m1" },
        { id: "b", content: "Because the ocean reflects onto it.", model: "m2" },
      ],
    },
    {
      id: "p-2",
      prompt: "What is 17 × 24?",
      responses: [
        { id: "a", content: "408", model: "m1" },
        { id: "b", content: "418", model: "m2" },
      ],
    },
  ],
  kwise: [
    {
      id: "k-1",
      prompt: "Name a bakery that specialises in sourdough.",
      responses: ["Wild Rise Bakery", "Bread Shop", "The Patient Loaf", "Crust and moon"].map((content, i) => ({
        id: `r${i + 1}`,
        content,
        model: `m${i + 1}`,
      })),
    },
    {
      id: "k-2",
      prompt: "Convert 100 °F to Celsius.",
      responses: ["37.8 °C", "38", "(100 − 32) × 5/9 = 37.78 °C", "Warm"].map((content, i) => ({ id: `r${i + 1}`, content, model: `m${i + 1}` })),
    },
  ],
  rationale: [
    {
      id: "w-1",
      prompt: "Is it safe to eat raw cookie dough?",
      responses: [
        { id: "a", content: "Yes, it is completely safe, people do it all the time.", model: "m1" },
        { id: "b", content: "Usually not: raw flour and raw eggs can carry bacteria.", model: "m2" },
      ],
    },
    {
      id: "w-2",
      prompt: "Summarise Romeo and Juliet in one sentence.",
      responses: [
        { id: "a", content: "A story about love.", model: "m1" },
        { id: "b", content: "Two young lovers from feuding families die, which reconciles the families.", model: "m2" },
      ],
    },
  ],
};

/** A campaign of this spec's own (the demo campaigns are shared with other specs). */
async function createCampaign(request: APIRequestContext, kind: Kind, config: Record<string, unknown>): Promise<string> {
  const admin = await apiToken(request, demo.admin);
  const name = `E2E ${kind} ${Date.now()}`;
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name, taskType: kind, status: "active", config: { overlap: 3, goldRate: 0, ...config } },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  const imported = await request.post(`/api/v1/campaigns/${id}/items?format=native`, {
    headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
    data: sampleItems[kind].map((item) => JSON.stringify(item)).join("\n"),
  });
  expect(imported.status()).toBe(200);
  for (const account of [demo.annotator1, demo.annotator2, demo.annotator3]) {
    expect((await request.post(`/api/v1/campaigns/${id}/members`, { headers: bearer(admin), data: { email: account.email } })).status()).toBe(201);
  }
  return name;
}

/** Judgments by this annotator created after `since` (other specs may annotate the demo too). */
async function newJudgments(request: APIRequestContext, campaignName: string, email: string, since: string) {
  const admin = await apiToken(request, demo.admin);
  const campaignId = await campaignIdByName(request, admin, campaignName);
  return (await judgmentsOf(request, admin, campaignId)).filter((j) => j.annotatorEmail === email && String(j.createdAt) >= since);
}

async function openCampaign(page: Page, name: string) {
  await page.goto("/annotate");
  await page.getByRole("listitem").filter({ hasText: name }).getByRole("link", { name: "Start annotating" }).click();
  await expect(page.getByRole("form", { name: "Task" })).toBeVisible();
}

async function waitForSync(page: Page) {
  await expect(page.getByRole("status").filter({ hasText: "All judgments saved" })).toBeVisible();
}

test("pairwise: choose, set strength, submit; the judgment reads back through the API", async ({ page, request }) => {
  const since = new Date().toISOString();
  const campaign = await createCampaign(request, "pairwise", { strengthScale: true });
  await signIn(page, demo.annotator1);
  await openCampaign(page, campaign);
  const responseA = page.getByRole("region", { name: "Response A" });
  const chosenId = await responseA.getAttribute("data-candidate-id");
  const firstItemText = await page.getByRole("region", { name: "Prompt" }).innerText();
  await page.getByRole("button", { name: /A is better/ }).click();
  await page.getByLabel("Clearly better").check();
  await page.getByRole("button", { name: /Submit/ }).click();
  // The next task replaces it at once (prefetched).
  await expect(page.getByRole("region", { name: "Prompt" })).not.toHaveText(firstItemText);
  await waitForSync(page);

  const mine = await newJudgments(request, campaign, demo.annotator1.email, since);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ verdict: "winner", winnerCandidateId: chosenId, strength: 2, source: "human" });
  expect(mine[0]!.timeMs).toBeGreaterThan(0);
});

test("K-wise by drag and drop: the dragged response becomes the best", async ({ page, request }) => {
  const since = new Date().toISOString();
  const campaign = await createCampaign(request, "kwise", { k: 4 });
  await signIn(page, demo.annotator2);
  await openCampaign(page, campaign);
  const cards = page.getByRole("list", { name: "Ranking, best first" }).getByRole("listitem");
  await expect(cards).toHaveCount(4);
  const last = cards.nth(3);
  const lastId = await last.getAttribute("data-candidate-id");
  const handle = last.locator(".drag-handle");
  const target = cards.nth(0).locator(".drag-handle");
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + 2, { steps: 20 });
  await page.mouse.up();
  await expect(cards.nth(0)).toHaveAttribute("data-candidate-id", lastId!);
  const order = await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-candidate-id")));
  await page.getByRole("button", { name: /Submit/ }).click();
  await waitForSync(page);

  const mine = await newJudgments(request, campaign, demo.annotator2.email, since);
  expect(mine).toHaveLength(1);
  expect(mine[0]!.rankingCandidateIds).toEqual(order.map((id) => [id]));
});

test("K-wise by keyboard alone: number keys place, arrows move, t ties, Enter submits", async ({ page, request }) => {
  const since = new Date().toISOString();
  const campaign = await createCampaign(request, "kwise", { k: 4, allowTie: true });
  await signIn(page, demo.annotator3);
  await openCampaign(page, campaign);
  const cards = page.getByRole("list", { name: "Ranking, best first" }).getByRole("listitem");
  await expect(cards).toHaveCount(4);
  const initial = await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-candidate-id")!));
  const [a, b, c, d] = initial as [string, string, string, string];

  await cards.nth(0).focus();
  await page.keyboard.press("4"); // a → rank 4: b c d a
  await expect(cards.nth(3)).toHaveAttribute("data-candidate-id", a);
  await expect(cards.nth(3)).toBeFocused();
  await page.keyboard.press("ArrowUp"); // b c a d
  await expect(cards.nth(2)).toHaveAttribute("data-candidate-id", a);
  await page.keyboard.press("k"); // focus c (position 2)
  await expect(cards.nth(1)).toBeFocused();
  await page.keyboard.press("1"); // c b a d
  await expect(cards.nth(0)).toHaveAttribute("data-candidate-id", c);
  await page.keyboard.press("j"); // focus b
  await expect(cards.nth(1)).toBeFocused();
  await page.keyboard.press("t"); // b tied with c
  await expect(cards.nth(1)).toHaveAccessibleName(/rank 1 \(tied\)/);
  await page.keyboard.press("Enter");
  await waitForSync(page);

  const mine = await newJudgments(request, campaign, demo.annotator3.email, since);
  expect(mine).toHaveLength(1);
  expect(mine[0]!.rankingCandidateIds).toEqual([[c, b], [a], [d]]);
});

test("rationale: winner, attribute ratings, a highlighted span and a written reason", async ({ page, request }) => {
  const since = new Date().toISOString();
  const campaign = await createCampaign(request, "rationale", { rationaleMinLength: 15 });
  await signIn(page, demo.annotator1);
  await openCampaign(page, campaign);
  const responseB = page.getByRole("region", { name: "Response B" });
  const bId = (await responseB.getAttribute("data-candidate-id"))!;
  const aId = (await page.getByRole("region", { name: "Response A" }).getAttribute("data-candidate-id"))!;

  await page.getByRole("button", { name: /B is better/ }).click();
  await page.getByLabel("helpfulness of Response A").selectOption("1");
  await page.getByLabel("correctness of Response A").selectOption("0");
  await page.getByLabel("helpfulness of Response B").selectOption("4");

  await page.getByText("Highlight spans in Response A").click();
  const raw = page.locator(`[data-raw-text="${aId}"]`);
  const text = await raw.innerText();
  const word = text.split(/\s+/).find((w) => w.length >= 4)!;
  const start = text.indexOf(word);
  await raw.evaluate(
    (el, [s, e]) => {
      const node = el.firstChild!.firstChild!;
      const range = document.createRange();
      range.setStart(node, s!);
      range.setEnd(node, e!);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      el.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    },
    [start, start + word.length],
  );
  await page.getByRole("button", { name: "Tag selection in Response A as incorrect" }).click();
  await expect(page.getByRole("list", { name: "Tagged spans in Response A" })).toContainText(word);

  const submit = page.getByRole("button", { name: /Submit/ });
  await expect(submit).toBeDisabled();
  await page.getByLabel("Rationale").fill("B is accurate and complete; A is wrong.");
  await submit.click();
  await waitForSync(page);

  const mine = await newJudgments(request, campaign, demo.annotator1.email, since);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({
    verdict: "winner",
    winnerCandidateId: bId,
    rationale: "B is accurate and complete; A is wrong.",
    attributes: { [aId]: { helpfulness: 1, correctness: 0 }, [bId]: { helpfulness: 4 } },
    spans: [{ candidateId: aId, start, end: start + word.length, label: "incorrect" }],
  });
});

test("hostile item content renders as text and runs nothing", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Hostile ${Date.now()}`, taskType: "pairwise", status: "active", config: { overlap: 1, goldRate: 0 } },
  });
  expect(created.status()).toBe(201);
  const campaign = await created.json();
  const hostile = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    "[click me](javascript:window.__pwned=3)",
    "<style>body { display: none !important }</style>",
    '<iframe src="javascript:window.parent.__pwned=4"></iframe>',
    "![x](javascript:window.__pwned=5)",
  ].join("\n\n");
  const imported = await request.post(`/api/v1/campaigns/${campaign.id}/items?format=native`, {
    headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
    data: JSON.stringify({ id: "evil-1", prompt: hostile, messages: undefined, responses: [{ content: hostile }, { content: "**fine**" }] }) + "\n",
  });
  expect(imported.status()).toBe(200);
  expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: demo.annotator2.email } })).status()).toBe(
    201,
  );

  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await signIn(page, demo.annotator2);
  await page.goto(`/annotate/${campaign.id}`);
  await expect(page.getByRole("region", { name: "Prompt" })).toContainText("<script>window.__pwned = 1</script>");
  await expect(page.getByRole("region", { name: "Prompt" })).toContainText("<style>body");
  await expect(page.locator("body")).toBeVisible();
  const link = page.getByRole("region", { name: "Prompt" }).getByText("click me");
  await expect(link).toBeVisible();
  expect(await link.getAttribute("href")).toBeFalsy();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator(".markdown script, .markdown iframe, .markdown style, .markdown img[onerror]").count()).toBe(0);
  expect(dialogs).toBe(0);
});

test("narrow screens: the workspace works at 360 px with responses stacked", async ({ page, request }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, demo.annotator3);
  await openCampaign(page, await createCampaign(request, "pairwise", { guidelines: "## How to judge\n\nPrefer the correct answer." }));
  const a = await page.getByRole("region", { name: "Response A" }).boundingBox();
  const b = await page.getByRole("region", { name: "Response B" }).boundingBox();
  expect(b!.y).toBeGreaterThan(a!.y + a!.height - 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.keyboard.press("g");
  await expect(page.getByRole("dialog", { name: "Guidelines" })).toContainText("How to judge");
});
