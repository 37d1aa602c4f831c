import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

/**
 * Issue 13, finding 10: a copy of an outbox entry still waiting in localStorage (another tab,
 * say) after its judgment was undone must not bring the judgment back, nor show the annotator
 * an error: the server answers 409 `idempotency_key_spent` and the page drops the entry.
 */
test("an outbox entry whose judgment was undone is dropped quietly and stores nothing", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Outbox ${Date.now()}`, taskType: "pairwise", status: "active", config: { overlap: 1, goldRate: 0 } },
  });
  expect(created.status()).toBe(201);
  const campaignId = ((await created.json()) as { id: string }).id;
  const lines = [1, 2].map((n) =>
    JSON.stringify({
      id: `o-${n}`,
      prompt: `Outbox question ${n}`,
      responses: [
        { id: "a", content: `First answer ${n}` },
        { id: "b", content: `Second answer ${n}` },
      ],
    }),
  );
  expect(
    (
      await request.post(`/api/v1/campaigns/${campaignId}/items?format=native`, {
        headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
        data: lines.join("\n"),
      })
    ).status(),
  ).toBe(200);
  expect((await request.post(`/api/v1/campaigns/${campaignId}/members`, { headers: bearer(admin), data: { email: demo.annotator2.email } })).status()).toBe(
    201,
  );

  // Judged and undone through the API, as another tab of the same annotator would.
  const token = await apiToken(request, demo.annotator2);
  const task = (await (await request.get(`/api/v1/campaigns/${campaignId}/tasks/next`, { headers: bearer(token) })).json()) as {
    assignmentId: string;
    item: { id: string };
    candidates: Array<{ id: string }>;
  };
  const key = `outbox-${task.assignmentId}`;
  const body = { winner: task.candidates[0]!.id, timeMs: 1200 };
  const judged = await request.post(`/api/v1/assignments/${task.assignmentId}/judgment`, { headers: { ...bearer(token), "idempotency-key": key }, data: body });
  expect(judged.status()).toBe(201);
  expect((await request.delete(`/api/v1/judgments/${(await judged.json()).id}`, { headers: bearer(token) })).status()).toBe(200);

  await signIn(page, demo.annotator2);
  await page.evaluate(({ campaignId, entry }) => localStorage.setItem(`arbiter.outbox.${campaignId}`, JSON.stringify([entry])), {
    campaignId,
    entry: { assignmentId: task.assignmentId, idempotencyKey: key, body, queuedAt: Date.now(), attempts: 0 },
  });
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/assignments/${task.assignmentId}/judgment`) && r.request().method() === "POST");
  await page.goto(`/annotate/${campaignId}`);
  const response = await answered;
  expect(response.status()).toBe(409);
  expect((await response.json()).error.code).toBe("idempotency_key_spent");

  await expect.poll(() => page.evaluate((id) => localStorage.getItem(`arbiter.outbox.${id}`), campaignId)).toBe("[]");
  await expect(page.getByRole("status").filter({ hasText: "All judgments saved" })).toBeVisible();
  // The undone task is back on screen, and no "refused by the server" alert is shown.
  await expect(page.getByText(`Outbox question ${task.item.id.slice(2)}`)).toBeVisible();
  await expect(page.getByText("refused by the server")).toHaveCount(0);
  const stored = (await (await request.get(`/api/v1/campaigns/${campaignId}/judgments`, { headers: bearer(admin) })).json()) as { judgments: unknown[] };
  expect(stored.judgments).toEqual([]);
});

/** A fresh active pairwise campaign (overlap 1, no gold) with `count` items, `annotator` a member. */
async function outboxCampaign(request: APIRequestContext, admin: string, count: number, annotator: { email: string }): Promise<string> {
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Outbox sync ${Date.now()}`, taskType: "pairwise", status: "active", config: { overlap: 1, goldRate: 0 } },
  });
  expect(created.status()).toBe(201);
  const campaignId = ((await created.json()) as { id: string }).id;
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `s-${i + 1}`,
      prompt: `Sync question ${i + 1}`,
      responses: [
        { id: "a", content: `First answer ${i + 1}` },
        { id: "b", content: `Second answer ${i + 1}` },
      ],
    }),
  );
  expect(
    (
      await request.post(`/api/v1/campaigns/${campaignId}/items?format=native`, {
        headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
        data: lines.join("\n"),
      })
    ).status(),
  ).toBe(200);
  expect((await request.post(`/api/v1/campaigns/${campaignId}/members`, { headers: bearer(admin), data: { email: annotator.email } })).status()).toBe(201);
  return campaignId;
}

async function storedJudgments(request: APIRequestContext, admin: string, campaignId: string): Promise<Array<{ itemId: string }>> {
  return (
    (await (await request.get(`/api/v1/campaigns/${campaignId}/judgments`, { headers: bearer(admin) })).json()) as { judgments: Array<{ itemId: string }> }
  ).judgments;
}

const shownQuestion = (page: Page) => page.getByText(/^Sync question \d$/).textContent();

test("offline: the judgment waits in the outbox while the next task shows; back online it is sent once; undo takes it back from the server", async ({
  page,
  context,
  request,
}) => {
  const admin = await apiToken(request, demo.admin);
  const campaignId = await outboxCampaign(request, admin, 3, demo.annotator3);
  await signIn(page, demo.annotator3);
  await page.goto(`/annotate/${campaignId}`);
  const sync = page.locator(".sync-state");
  await expect(sync).toHaveText("All judgments saved");
  const first = await shownQuestion(page);
  // The next task is prefetched while online; once offline, the judgment cannot leave.
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.includes("/tasks/next?exclude=")).length))
    .toBeGreaterThan(0);
  await context.setOffline(true);
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect(sync).toHaveText(/^1 judgment waiting to sync \(.+; retrying\)$/);
  const second = await shownQuestion(page);
  expect(second).not.toBe(first);
  expect(await storedJudgments(request, admin, campaignId)).toEqual([]);

  await context.setOffline(false);
  await expect(sync).toHaveText("All judgments saved", { timeout: 15_000 });
  const stored = await storedJudgments(request, admin, campaignId);
  expect(stored.map((j) => j.itemId)).toEqual([`s-${first!.slice(-1)}`]);

  await page.keyboard.press("u");
  await expect(page.getByRole("status").filter({ hasText: "Your last judgment was undone; it is back on screen." })).toBeVisible();
  expect(await shownQuestion(page)).toBe(first);
  expect(await storedJudgments(request, admin, campaignId)).toEqual([]);
});

test("a judgment the server refuses for good (the campaign was paused meanwhile) is kept and shown until dismissed; nothing is stored", async ({
  page,
  context,
  request,
}) => {
  const admin = await apiToken(request, demo.admin);
  const campaignId = await outboxCampaign(request, admin, 2, demo.annotator3);
  await signIn(page, demo.annotator3);
  await page.goto(`/annotate/${campaignId}`);
  await expect(page.getByText(/^Sync question \d$/)).toBeVisible();
  await context.setOffline(true);
  await page.keyboard.press("2");
  await page.keyboard.press("Enter");
  await expect(page.locator(".sync-state")).toHaveText(/^1 judgment waiting to sync/);
  expect((await request.post(`/api/v1/campaigns/${campaignId}/status`, { headers: bearer(admin), data: { status: "paused" } })).status()).toBe(200);

  await context.setOffline(false);
  const refused = page.getByRole("alert").filter({ hasText: "refused by the server" });
  await expect(refused).toHaveText(/^1 judgment was refused by the server: This campaign is paused; judgments are not accepted\.\./, { timeout: 15_000 });
  expect(
    await page.evaluate(
      (id) => JSON.parse(localStorage.getItem(`arbiter.outbox.${id}`) ?? "[]").map((e: { rejected?: { status: number } }) => e.rejected?.status),
      campaignId,
    ),
  ).toEqual([409]);
  await refused.getByRole("button", { name: "Dismiss" }).click();
  await expect(refused).toHaveCount(0);
  expect(await page.evaluate((id) => localStorage.getItem(`arbiter.outbox.${id}`), campaignId)).toBe("[]");
  expect(await storedJudgments(request, admin, campaignId)).toEqual([]);
});
