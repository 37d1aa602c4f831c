import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

/**
 * Issue 17, item 7: from the judgment browser to one item — prompt, responses, every judgment in
 * the letters its annotator saw, rationale, attributes, spans, the hint, with the pseudonyms the
 * dashboard and exports use — and back to the list with its filters (kept in the URL).
 */

interface Task {
  assignmentId: string;
  item: { id: string };
  candidates: Array<{ id: string; content: string }>;
}

interface ListedJudgment {
  id: string;
  itemId: string;
  annotatorId: string;
  presentedOrder: string[];
  winner: string | null;
}

async function rationaleCampaign(request: APIRequestContext, admin: string) {
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: {
      name: `Drill-down ${Date.now()}`,
      taskType: "rationale",
      status: "active",
      config: { overlap: 2, goldRate: 0, rationale: "required", rationaleMinLength: 5, attributes: [{ name: "helpfulness", min: 0, max: 4 }] },
    },
  });
  expect(created.status()).toBe(201);
  const campaign = (await created.json()) as { id: string };
  const lines = [
    {
      id: "dd-1",
      messages: [
        { role: "user", content: "How do I boil an egg?" },
        { role: "assistant", content: "Put it in boiling water." },
        { role: "user", content: "For how long, for a soft yolk?" },
      ],
      responses: [
        { id: "short", model: "terse-3b", content: "About six minutes, then cool it in cold water." },
        { id: "long", model: "wander-13b", content: "Eggs are fascinating. Boil them for twelve minutes for a **soft** yolk." },
      ],
    },
    {
      id: "dd-2",
      prompt: "Name a prime number.",
      responses: [
        { id: "x", content: "7" },
        { id: "y", content: "8" },
      ],
    },
  ];
  const imported = await request.post(`/api/v1/campaigns/${campaign.id}/items?format=native`, {
    headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
    data: lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
  });
  expect(imported.status()).toBe(200);
  for (const account of [demo.annotator1, demo.annotator2])
    expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: account.email } })).status()).toBe(201);
  return campaign;
}

/** Each annotator judges dd-1: the response that says "six minutes" wins, with a span on the other and a hint shown to the first. */
async function judgeItem(request: APIRequestContext, campaignId: string) {
  for (const [k, account] of [demo.annotator1, demo.annotator2].entries()) {
    const token = await apiToken(request, account);
    for (;;) {
      const next = await request.get(`/api/v1/campaigns/${campaignId}/tasks/next`, { headers: bearer(token) });
      if (next.status() === 204) break;
      const task = (await next.json()) as Task;
      const good = task.candidates.find((c) => !/fascinating|8/.test(c.content))!;
      const bad = task.candidates.find((c) => c !== good)!;
      const posted = await request.post(`/api/v1/assignments/${task.assignmentId}/judgment`, {
        headers: { ...bearer(token), "idempotency-key": `dd-${task.assignmentId}` },
        data: {
          winner: good.id,
          rationale: `Annotator ${k + 1}: the winner answers the question.`,
          attributes: { [good.id]: { helpfulness: 4 }, [bad.id]: { helpfulness: 1 } },
          spans: bad.content.includes("twelve")
            ? [{ candidateId: bad.id, start: bad.content.indexOf("twelve"), end: bad.content.indexOf("twelve") + 14, label: "incorrect" }]
            : [],
          hint: { shown: k === 0, ...(k === 0 ? { changedMind: false } : {}) },
          timeMs: 5000,
        },
      });
      expect(posted.status()).toBe(201);
    }
  }
}

test("a researcher opens an item from the judgment list, reads every judgment as it was seen, and goes back to the filtered list", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const admin = await apiToken(request, demo.admin);
  const campaign = await rationaleCampaign(request, admin);
  await judgeItem(request, campaign.id);
  const researcher = await apiToken(request, demo.researcher);
  const listed = (
    (await (await request.get(`/api/v1/campaigns/${campaign.id}/judgments?itemId=dd-1`, { headers: bearer(researcher) })).json()) as {
      judgments: ListedJudgment[];
    }
  ).judgments;
  expect(listed).toHaveLength(2);

  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, demo.researcher);
  await page.goto(`/campaigns/${campaign.id}`);
  const list = page.getByRole("table", { name: "Judgment list" });
  // The table names annotators by pseudonym and verdicts in the letters they saw.
  for (const j of listed) {
    const row = list.getByRole("row").filter({ hasText: j.annotatorId }).filter({ hasText: "dd-1" });
    await expect(row).toHaveCount(1);
    const letter = "AB"[j.presentedOrder.indexOf(j.winner!)];
    await expect(row).toContainText(`${letter} wins`);
    await expect(row).toContainText(`A = ${j.presentedOrder[0]}`);
  }
  await expect(list).not.toContainText("short wins");

  // Filters go into the URL.
  await page.getByLabel("Source").selectOption("human");
  await page.getByLabel("Item id").fill("dd-1");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]source=human/);
  await expect(page).toHaveURL(/[?&]itemId=dd-1/);
  await expect(list.getByRole("row")).toHaveCount(3);

  // A reload keeps them.
  await page.reload();
  await expect(page.getByLabel("Source")).toHaveValue("human");
  await expect(list.getByRole("row")).toHaveCount(3);

  await list.getByRole("link", { name: "dd-1" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/campaigns/${campaign.id}/items/dd-1\\?`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("dd-1");
  // The prompt (the whole conversation) and both responses, with their models.
  await expect(page.getByRole("list", { name: "Conversation" })).toContainText("For how long, for a soft yolk?");
  await expect(page.getByRole("region", { name: "Response short" })).toContainText("About six minutes");
  await expect(page.getByRole("region", { name: "Response long" })).toContainText("wander-13b");

  const cards = page.locator("article.judgment-card");
  await expect(cards).toHaveCount(2);
  for (const j of listed) {
    const card = cards.filter({ hasText: j.annotatorId });
    await expect(card).toHaveCount(1);
    const letters = Object.fromEntries(j.presentedOrder.map((id, i) => [id, "AB"[i]]));
    await expect(card.locator(".seen-order")).toHaveText(`Saw: A = ${j.presentedOrder[0]} · B = ${j.presentedOrder[1]}`);
    await expect(card.locator(".verdict")).toContainText(`${letters.short} wins`);
    await expect(card.getByRole("table", { name: "Attribute ratings" })).toContainText("helpfulness");
    // The bad response's span, quoted, in the letter this annotator saw it under.
    await expect(card.getByRole("list", { name: "Tagged spans" })).toContainText(`incorrect in ${letters.long}: twelve minutes`);
  }
  await expect(cards.filter({ hasText: "Annotator 1:" })).toContainText("Hint: shown · did not change their mind");
  await expect(cards.filter({ hasText: "Annotator 2:" })).toContainText("Hint: not shown");
  // Researchers never see an e-mail.
  await expect(page.locator("main")).not.toContainText("@arbiter.local");

  await page.screenshot({ path: test.info().outputPath("drill-down-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // Nothing wider than the phone's screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath("drill-down-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Back to the list, as it was left.
  await page.getByRole("link", { name: /← Judgments of/ }).click();
  await expect(page).toHaveURL(/[?&]source=human/);
  await expect(page.getByLabel("Source")).toHaveValue("human");
  await expect(page.getByLabel("Item id")).toHaveValue("dd-1");
  await expect(list.getByRole("row")).toHaveCount(3);

  // Annotators never: the page and the API are refused, members included.
  const annotator = await apiToken(request, demo.annotator1);
  expect((await request.get(`/api/v1/campaigns/${campaign.id}/items/dd-1`, { headers: bearer(annotator) })).status()).toBe(403);
  const asAdmin = await request.get(`/api/v1/campaigns/${campaign.id}/items/dd-1`, { headers: bearer(admin) });
  expect(((await asAdmin.json()) as { judgments: Array<{ annotatorEmail?: string }> }).judgments.map((j) => j.annotatorEmail).sort()).toEqual(
    [demo.annotator1.email, demo.annotator2.email].sort(),
  );
});

test("an annotator cannot open a researcher's item page", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const campaign = await rationaleCampaign(request, admin);
  await signIn(page, demo.annotator1);
  const response = await page.goto(`/campaigns/${campaign.id}/items/dd-1`);
  expect(response?.status()).toBe(403);
  await expect(page.locator("body")).not.toContainText("How do I boil an egg?");
});
