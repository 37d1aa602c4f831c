import { expect, test } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

/**
 * Issue 13, finding 10: a copy of an outbox entry still waiting in localStorage (another tab,
 * say) after its judgment was undone must not bring the judgment back, nor show the annotator
 * an error: the server answers 409 `idempotency_key_spent` and the page drops the entry.
 */
test("an outbox entry whose judgment was undone is dropped quietly and stores nothing", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", { headers: bearer(admin), data: { name: `Outbox ${Date.now()}`, taskType: "pairwise", status: "active", config: { overlap: 1, goldRate: 0 } } });
  expect(created.status()).toBe(201);
  const campaignId = ((await created.json()) as { id: string }).id;
  const lines = [1, 2].map((n) => JSON.stringify({ id: `o-${n}`, prompt: `Outbox question ${n}`, responses: [{ id: "a", content: `First answer ${n}` }, { id: "b", content: `Second answer ${n}` }] }));
  expect((await request.post(`/api/v1/campaigns/${campaignId}/items?format=native`, { headers: { ...bearer(admin), "content-type": "application/x-ndjson" }, data: lines.join("\n") })).status()).toBe(200);
  expect((await request.post(`/api/v1/campaigns/${campaignId}/members`, { headers: bearer(admin), data: { email: demo.annotator2.email } })).status()).toBe(201);

  // Judged and undone through the API, as another tab of the same annotator would.
  const token = await apiToken(request, demo.annotator2);
  const task = (await (await request.get(`/api/v1/campaigns/${campaignId}/tasks/next`, { headers: bearer(token) })).json()) as { assignmentId: string; item: { id: string }; candidates: Array<{ id: string }> };
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
