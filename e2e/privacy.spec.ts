import { expect, test } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

const PSEUDONYM = /^ann-[0-9a-f]{12}$/;

/**
 * Issue 13, finding 9: the judgment browser shows a researcher each annotator as the campaign's
 * pseudonym only (never a user id or e-mail), filters by it, and refuses a user id; an admin sees
 * the e-mail with the pseudonym under it.
 */
test("the judgment browser names annotators by pseudonym to researchers, and by e-mail and pseudonym to admins", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Privacy ${Date.now()}`, taskType: "pairwise", status: "active", config: { overlap: 2, goldRate: 0 } },
  });
  expect(created.status()).toBe(201);
  const campaignId = ((await created.json()) as { id: string }).id;
  const lines = [1, 2].map((n) =>
    JSON.stringify({
      id: `p-${n}`,
      prompt: `Question ${n}`,
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
  const annotators = [demo.annotator1, demo.annotator2];
  for (const account of annotators) {
    expect((await request.post(`/api/v1/campaigns/${campaignId}/members`, { headers: bearer(admin), data: { email: account.email } })).status()).toBe(201);
    const token = await apiToken(request, account);
    const task = await (await request.get(`/api/v1/campaigns/${campaignId}/tasks/next`, { headers: bearer(token) })).json();
    const judged = await request.post(`/api/v1/assignments/${task.assignmentId}/judgment`, {
      headers: { ...bearer(token), "idempotency-key": `privacy-${task.assignmentId}` },
      data: { winner: task.candidates[0].id },
    });
    expect(judged.status()).toBe(201);
  }
  const users = (await (await request.get("/api/v1/users", { headers: bearer(admin) })).json()) as Array<{ id: string; email: string }>;
  const userIds = users.filter((u) => u.email !== demo.researcher.email).map((u) => u.id);

  await signIn(page, demo.researcher);
  await page.goto(`/campaigns/${campaignId}`);
  const list = page.getByRole("table", { name: "Judgment list" });
  const bodyRows = list.locator("tbody tr");
  await expect(bodyRows).toHaveCount(2);
  const shown = (await bodyRows.locator("td:nth-child(4)").allInnerTexts()).map((t) => t.trim());
  for (const text of shown) expect(text).toMatch(PSEUDONYM);
  expect(new Set(shown).size).toBe(2);
  const html = await page.content();
  for (const id of userIds) expect(html).not.toContain(id);
  for (const account of annotators) expect(html).not.toContain(account.email);
  await page.screenshot({ path: test.info().outputPath("researcher-judgments.png"), fullPage: true });

  // Filtering by a pseudonym keeps that annotator's row; a user id is refused, saying why.
  const filters = page.getByRole("form", { name: "Judgment filters" });
  await filters.getByLabel("Annotator id").fill(shown[0]!);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first().locator("td").nth(3)).toHaveText(shown[0]!);
  await filters.getByLabel("Annotator id").fill(userIds[0]!);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByRole("region", { name: "Judgments" }).getByRole("alert")).toContainText("annotatorId must be an annotator pseudonym");

  // The admin sees who is behind each pseudonym: the pseudonym first, as everyone sees it, and the e-mail under it, inside the cell.
  await page.context().clearCookies();
  await signIn(page, demo.admin);
  await page.goto(`/campaigns/${campaignId}`);
  await expect(bodyRows).toHaveCount(2);
  for (const [index, pseudonym] of shown.entries()) {
    const cell = bodyRows.filter({ hasText: pseudonym }).locator("td").nth(3);
    const line = cell.locator(".muted");
    await expect(line).toHaveText(/^annotator[12]@arbiter\.local$/);
    const [cellBox, lineBox, pseudonymBox] = [
      await cell.boundingBox(),
      await line.boundingBox(),
      await cell.evaluate((td) => {
        const range = document.createRange();
        range.selectNodeContents(td.firstChild!);
        const r = range.getBoundingClientRect();
        return { y: r.y, height: r.height };
      }),
    ];
    await expect(cell.evaluate((td) => td.firstChild?.textContent)).resolves.toBe(pseudonym);
    expect(lineBox!.y, `row ${index}: the e-mail sits under the pseudonym`).toBeGreaterThanOrEqual(pseudonymBox.y + pseudonymBox.height - 1);
    expect(lineBox!.y + lineBox!.height).toBeLessThanOrEqual(cellBox!.y + cellBox!.height + 1);
    expect(lineBox!.x).toBeGreaterThanOrEqual(cellBox!.x);
  }
  await page.screenshot({ path: test.info().outputPath("admin-judgments.png"), fullPage: true });
});
