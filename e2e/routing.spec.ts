import { expect, test, type APIRequestContext } from "@playwright/test";
import { replyWith, shownResponses, startOpenAITestServer, type OpenAITestServer } from "@arbiter/judge/testing";
import { apiToken, bearer, demo, signIn } from "./helpers";

interface Dashboard {
  items: { total: number; byRoute: Record<"pending" | "human" | "judge" | "calibration", { items: number; humanLabelled: number; judgeLabelled: number }> };
  budget: { maxHuman: number | null; used: number; calibration: number };
  judgeJobs: { queued: number; running: number; done: number; failed: number };
  history: Array<{ version: number; trainedOn: number }>;
}

let server: OpenAITestServer;

test.beforeAll(async () => {
  // The judge: prefers the response that says "correct", less sure on every third item.
  server = await startOpenAITestServer({
    handler: (request) => {
      const index = Number(/Question (\d+)/.exec(request.text)?.[1] ?? 0);
      const label = [...shownResponses(request)].find(([, text]) => text.includes("correct"))?.[0] ?? "A";
      return replyWith(
        { winner: label, confidence: index % 3 === 0 ? 0.55 : 0.95, rationale: `Response ${label} is correct.` },
        { usage: { prompt_tokens: 120, completion_tokens: 15 } },
      );
    },
  });
});

test.afterAll(async () => {
  await server.close();
});

async function dashboard(request: APIRequestContext, token: string, campaignId: string): Promise<Dashboard> {
  const response = await request.get(`/api/v1/campaigns/${campaignId}/routing`, { headers: bearer(token) });
  expect(response.status()).toBe(200);
  return (await response.json()) as Dashboard;
}

test("an admin sets up the LLM judge and hybrid routing; the in-server worker judges and routes; annotators get only human-routed items", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Routing ${Date.now()}`, taskType: "pairwise", status: "active", config: { overlap: 1, goldRate: 0 } },
  });
  expect(created.status()).toBe(201);
  const campaign = (await created.json()) as { id: string };
  const lines = Array.from({ length: 20 }, (_, i) =>
    JSON.stringify({
      id: `q-${i}`,
      prompt: `Question ${i}: what is ${i} + 1?`,
      responses: [
        { id: "a", content: `${i + 1}, which is correct.` },
        { id: "b", content: `${i + 2}, I believe.` },
      ],
    }),
  );
  const imported = await request.post(`/api/v1/campaigns/${campaign.id}/items?format=native`, {
    headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
    data: lines.join("\n") + "\n",
  });
  expect(imported.status()).toBe(200);

  const key = `sk-e2e-${Date.now()}`;
  await signIn(page, demo.admin);
  await page.goto(`/campaigns/${campaign.id}`);
  await page.getByRole("link", { name: /Judge and routing/ }).click();
  await expect(page.getByRole("heading", { name: "Judge and routing", level: 1 })).toBeVisible();

  // The key goes in as an encrypted secret and is never shown again.
  await page.getByLabel("Name", { exact: true }).fill("judge-key");
  await page.getByLabel("Value", { exact: true }).fill(key);
  await page.getByRole("button", { name: "Store secret" }).click();
  await expect(page.getByText("Stored the secret “judge-key”")).toBeVisible();

  await page.getByLabel("Judge this campaign's items").check();
  await page.getByLabel(/^Base URL/).fill(server.baseUrl);
  await page.getByLabel("Model", { exact: true }).fill("e2e-judge");
  await page.getByLabel(/^API key/).selectOption("secret");
  // A select's accessible name includes its chosen option, hence the prefix match.
  await page.getByRole("combobox", { name: /^Secret/ }).selectOption("judge-key");
  await page.getByLabel("Price per 1k input tokens").fill("0.001");
  await page.getByLabel("Price per 1k output tokens").fill("0.002");

  await page.getByRole("button", { name: "Test the judge on 5 items" }).click();
  await expect(page.getByText(/5 of 5 judged by e2e-judge/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("cell", { name: "a wins" })).toHaveCount(5);
  expect(server.requests.length).toBe(10);
  expect(server.requests.every((r) => r.headers.authorization === `Bearer ${key}`)).toBe(true);

  await page.getByRole("button", { name: "Save judge settings" }).click();
  await expect(page.getByText(/^Saved\. Judge jobs are queued/)).toBeVisible();
  await page.getByLabel("Who labels the items").selectOption("hybrid");
  await page.getByLabel(/^Human budget/).fill("50");
  await page.getByLabel(/^Calibration sample/).fill("20");
  await page.getByRole("button", { name: "Save routing settings" }).click();
  await expect(page.getByText(/^Saved\. A routing pass is queued/)).toBeVisible();
  expect(await page.content()).not.toContain(key);

  // The worker inside the server judges every item and routes them under the budget.
  await expect
    .poll(
      async () => {
        const d = await dashboard(request, admin, campaign.id);
        return [d.judgeJobs.done, d.items.byRoute.pending.items, d.items.byRoute.calibration.items, d.items.byRoute.human.items, d.items.byRoute.judge.items];
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toEqual([20, 0, 4, 6, 10]);
  const routed = await dashboard(request, admin, campaign.id);
  expect(routed.budget).toMatchObject({ maxHuman: 10, used: 10, calibration: 4 });

  await page.reload();
  await expect(page.getByText("Human budget used")).toBeVisible();
  // The secret is bound to the endpoint it was first used with (the test above) and is sent nowhere else.
  await expect(page.getByRole("row", { name: /judge-key/ }).getByRole("cell", { name: new URL(server.baseUrl).origin })).toBeVisible();
  // On a phone the secrets table scrolls inside its card instead of running off the screen.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 800 });
  const secretsTable = page.locator("section", { has: page.getByRole("heading", { name: "Secrets" }) }).getByRole("table");
  const wrap = await secretsTable.evaluate((table) => {
    const box = table.parentElement!;
    return { right: box.getBoundingClientRect().right, overflowX: getComputedStyle(box).overflowX };
  });
  expect(wrap.right).toBeLessThanOrEqual(360);
  expect(wrap.overflowX).toBe("auto");
  if (viewport) await page.setViewportSize(viewport);
  await expect(page.getByText("10 / 10")).toBeVisible();
  await expect(page.getByRole("heading", { name: "What drives routing" })).toBeVisible();

  // An annotator is served the calibration and human-routed items only.
  expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: demo.annotator1.email } })).status()).toBe(
    201,
  );
  const annotator = await apiToken(request, demo.annotator1);
  let served = 0;
  for (;;) {
    const next = await request.get(`/api/v1/campaigns/${campaign.id}/tasks/next`, { headers: bearer(annotator) });
    if (next.status() === 204) break;
    const task = (await next.json()) as { assignmentId: string; candidates: Array<{ id: string }> };
    const posted = await request.post(`/api/v1/assignments/${task.assignmentId}/judgment`, {
      headers: { ...bearer(annotator), "idempotency-key": `routing-${task.assignmentId}` },
      data: { winner: task.candidates[0]!.id },
    });
    expect(posted.status()).toBe(201);
    served++;
  }
  expect(served).toBe(10);
  const labelled = await dashboard(request, admin, campaign.id);
  expect(labelled.items.byRoute.judge.humanLabelled).toBe(0);
  expect(labelled.items.byRoute.human.humanLabelled + labelled.items.byRoute.calibration.humanLabelled).toBe(10);
  // The labels on calibration items retrain the router (a new version trained on them).
  await expect.poll(async () => (await dashboard(request, admin, campaign.id)).history[0]?.trainedOn, { timeout: 60_000, intervals: [1000] }).toBe(4);
});
