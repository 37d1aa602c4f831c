import { expect, test } from "@playwright/test";
import { startOpenAITestServer, streamWith, type OpenAITestServer } from "@arbiter/judge/testing";
import { apiToken, bearer, demo, signIn } from "./helpers";

let alpha: OpenAITestServer;
let bravo: OpenAITestServer;
const words = (who: string) => Array.from({ length: 30 }, (_, i) => `${who}${i}`).join(" ");

test.beforeAll(async () => {
  // Two contestants streaming a token every 80 ms: about 2.4 s per answer, long enough to watch both grow.
  alpha = await startOpenAITestServer({ handler: () => streamWith(words("north"), { tokenDelayMs: 80 }) });
  bravo = await startOpenAITestServer({ handler: () => streamWith(words("south"), { tokenDelayMs: 80 }) });
});

test.afterAll(async () => {
  await Promise.all([alpha.close(), bravo.close()]);
});

test("an annotator writes a prompt, watches both answers stream side by side, votes and sees the names", async ({ page, request }) => {
  test.setTimeout(90_000);
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: {
      name: `Battle ${Date.now()}`,
      taskType: "pairwise",
      status: "active",
      config: {
        overlap: 1,
        goldRate: 0,
        live: {
          promptSource: "annotator",
          contestants: [
            { name: "Alpha-Model", baseUrl: alpha.baseUrl, model: "alpha-7b" },
            { name: "Bravo-Model", baseUrl: bravo.baseUrl, model: "bravo-7b" },
          ],
        },
      },
    },
  });
  expect(created.status()).toBe(201);
  const campaign = (await created.json()) as { id: string };
  expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: demo.annotator1.email } })).status()).toBe(
    201,
  );

  await signIn(page, demo.annotator1);
  await page.goto(`/battle/${campaign.id}`);
  const hostile = `<img src=x onerror="window.__pwned=1"> Why is the sky blue?`;
  await page.getByLabel("Your prompt").fill(hostile);
  await page.getByRole("button", { name: "Send" }).click();

  const answers = page.getByTestId("battle-answer");
  await expect(answers).toHaveCount(2);
  // Both columns show text while both are still being written: the tokens arrive in both at once.
  await expect
    .poll(async () => answers.evaluateAll((els) => els.every((el) => el.getAttribute("data-done") === "false" && /\d/.test(el.textContent ?? ""))), {
      timeout: 15_000,
      intervals: [50],
    })
    .toBe(true);
  const partial = await answers.evaluateAll((els) => els.map((el) => (el.textContent ?? "").length));

  // Side by side: same top, left column left of the right one, neither overlapping.
  const [left, right] = [await answers.nth(0).boundingBox(), await answers.nth(1).boundingBox()];
  expect(left && right).toBeTruthy();
  expect(Math.abs(left!.y - right!.y)).toBeLessThan(2);
  expect(left!.x + left!.width).toBeLessThanOrEqual(right!.x);

  // No vote before both are done; then the vote buttons appear.
  await expect(page.getByRole("button", { name: "A is better" })).toBeHidden();
  await expect(page.getByRole("button", { name: "A is better" })).toBeVisible({ timeout: 20_000 });
  const complete = await answers.evaluateAll((els) => els.map((el) => (el.textContent ?? "").length));
  expect(complete[0]!).toBeGreaterThan(partial[0]!);
  await expect(answers.nth(0)).toContainText(/(north|south)29/);
  await expect(answers.nth(1)).toContainText(/(north|south)29/);
  // Names stay hidden until the vote.
  await expect(page.getByText("Alpha-Model")).toHaveCount(0);

  // The prompt is shown as text, never run.
  await expect(page.getByTestId("battle-prompt-shown")).toContainText("<img src=x");
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  await page.getByRole("button", { name: "A is better" }).click();
  await expect(page.getByRole("status").filter({ hasText: "your vote is in" })).toBeVisible();
  const firstText = (await answers.nth(0).textContent()) ?? "";
  const expectedName = firstText.includes("north") ? "Alpha-Model" : "Bravo-Model";
  await expect(answers.nth(0).getByRole("heading")).toContainText(expectedName);
  await expect(answers.nth(1).getByRole("heading")).toContainText(expectedName === "Alpha-Model" ? "Bravo-Model" : "Alpha-Model");

  // The vote counts: the leaderboard has both models, one battle each.
  const board = await request.get(`/api/v1/campaigns/${campaign.id}/leaderboard`, { headers: bearer(admin) });
  expect(board.status()).toBe(200);
  // The contract's body is the plain array of entries (how it was fitted travels in headers).
  const entries = (await board.json()) as Array<{ model: string; battles: number }>;
  expect(entries.map((e) => [e.model, e.battles]).sort()).toEqual([
    ["Alpha-Model", 1],
    ["Bravo-Model", 1],
  ]);
});
