import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

// The demo's models, strongest first: each annotator prefers the stronger one, except for one
// upset per pair, so every model both wins and loses and the plain Bradley–Terry fit exists.
const models = ["helpful-7b", "wander-13b", "terse-3b", "poet-1b"];

async function judgeEverything(request: APIRequestContext, token: string, campaignId: string, upsetItems: Set<string>) {
  for (;;) {
    const next = await request.get(`/api/v1/campaigns/${campaignId}/tasks/next`, { headers: bearer(token) });
    if (next.status() === 204) return;
    expect(next.status()).toBe(200);
    const task = (await next.json()) as { assignmentId: string; item: { id: string }; candidates: Array<{ id: string; content: string }> };
    const strength = (content: string) => models.findIndex((m) => content.includes(`[${m}]`));
    const [better, worse] = [...task.candidates].sort((x, y) => strength(x.content) - strength(y.content));
    const winner = upsetItems.has(task.item.id) ? worse! : better!;
    const posted = await request.post(`/api/v1/assignments/${task.assignmentId}/judgment`, {
      headers: { ...bearer(token), "idempotency-key": `quality-${task.assignmentId}` },
      data: { winner: winner.id, timeMs: 3000 + 100 * task.item.id.length },
    });
    expect(posted.status()).toBe(201);
  }
}

test("the researcher sees progress, agreement, gold and the model leaderboard with CI whiskers", async ({ page, request }) => {
  // 42 judgments through the API first, then the dashboard: more than the default minute on a busy machine.
  test.setTimeout(120_000);
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Quality ${Date.now()}`, taskType: "pairwise", status: "active", config: { overlap: 3, goldRate: 1 } },
  });
  expect(created.status()).toBe(201);
  const campaign = (await created.json()) as { id: string };

  // Every pair of models twice (12 items), in both response orders, and two gold items.
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) {
      for (const [x, y] of [
        [models[i]!, models[j]!],
        [models[j]!, models[i]!],
      ]) {
        lines.push(
          JSON.stringify({
            id: `q-${n++}`,
            prompt: `Question ${n}: explain something.`,
            responses: [
              { id: "a", model: x, content: `[${x}] answer ${n}` },
              { id: "b", model: y, content: `[${y}] answer ${n}` },
            ],
          }),
        );
      }
    }
  }
  // Two gold checks first (goldRate 1 hands out gold until each annotator has seen both).
  for (const g of [0, 1])
    lines.push(
      JSON.stringify({
        id: `gold-${g}`,
        prompt: `Gold ${g}`,
        responses: [
          { id: "a", model: "helpful-7b", content: `[helpful-7b] right ${g}` },
          { id: "b", model: "poet-1b", content: `[poet-1b] wrong ${g}` },
        ],
        gold: { winner: "a" },
      }),
    );
  const imported = await request.post(`/api/v1/campaigns/${campaign.id}/items?format=native&labelsAsGold=true`, {
    headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
    data: lines.join("\n") + "\n",
  });
  expect(imported.status()).toBe(200);
  const annotators = [demo.annotator1, demo.annotator2, demo.annotator3];
  for (const account of annotators) {
    expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: account.email } })).status()).toBe(201);
  }
  // Annotator k upsets on the items of one pair each; the others agree.
  const upsets = [new Set(["q-1", "q-4"]), new Set(["q-7", "q-10"]), new Set(["q-2", "q-9"])];
  for (const [k, account] of annotators.entries()) await judgeEverything(request, await apiToken(request, account), campaign.id, upsets[k]!);

  // The API: annotators may not read stats; researchers get α and the leaderboard.
  const annotatorToken = await apiToken(request, demo.annotator1);
  expect((await request.get(`/api/v1/campaigns/${campaign.id}/stats`, { headers: bearer(annotatorToken) })).status()).toBe(403);
  expect((await request.get(`/api/v1/campaigns/${campaign.id}/leaderboard`, { headers: bearer(annotatorToken) })).status()).toBe(403);
  const researcher = await apiToken(request, demo.researcher);
  const stats = await (await request.get(`/api/v1/campaigns/${campaign.id}/stats`, { headers: bearer(researcher) })).json();
  expect(stats.progress).toMatchObject({ items: 14, goldItems: 2, itemsComplete: 14, judgments: { human: 42 } });
  expect(stats.gold).toEqual({ judgments: 6, correct: 6, accuracy: 1 });
  expect(typeof stats.agreement.krippendorffAlpha).toBe("number");
  const board = (await (await request.get(`/api/v1/campaigns/${campaign.id}/leaderboard`, { headers: bearer(researcher) })).json()) as Array<{
    model: string;
    rank: number;
  }>;
  expect(board.map((e) => e.model)).toEqual(models);
  const csv = await request.get(`/api/v1/campaigns/${campaign.id}/stats/series?series=progress&format=csv`, { headers: bearer(researcher) });
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\r\n")[0]).toBe("t,human,judge,humanTotal,judgeTotal,itemsCompleted,itemsCompletedTotal");

  await signIn(page, demo.researcher);
  await page.goto(`/campaigns/${campaign.id}`);
  await page.getByRole("link", { name: /Quality dashboard/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Quality/ })).toBeVisible();
  for (const title of ["Progress over time", "Throughput per annotator", "Agreement", "Gold accuracy", "Leaderboard"]) {
    const figure = page.getByRole("figure", { name: title, exact: true });
    await expect(figure).toBeVisible();
    await expect(figure.locator("svg.recharts-surface").first()).toBeVisible();
  }
  const table = page.getByRole("table", { name: "Leaderboard", exact: true });
  await expect(table.getByRole("row")).toHaveCount(1 + models.length);
  await expect(table.getByRole("row").nth(1)).toContainText("helpful-7b");
  await expect(table.getByRole("row").nth(4)).toContainText("poet-1b");
  // Whiskers: one error bar per model.
  await expect(page.getByRole("figure", { name: "Leaderboard", exact: true }).locator(".recharts-errorBar")).toHaveCount(models.length);

  // The numbers behind a plot: as a table, and as a download.
  const leaderboardFigure = page.getByRole("figure", { name: "Leaderboard", exact: true });
  await leaderboardFigure.getByText("Data table: Leaderboard").click();
  await expect(leaderboardFigure.getByRole("table")).toContainText("wander-13b");
  const [download] = await Promise.all([page.waitForEvent("download"), leaderboardFigure.getByRole("button", { name: "CSV" }).click()]);
  expect(download.suggestedFilename()).toBe("leaderboard-bt.csv");

  await page.getByRole("link", { name: "Online Elo" }).click();
  await expect(page.getByRole("link", { name: "Online Elo" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("table", { name: "Leaderboard", exact: true }).getByRole("row")).toHaveCount(1 + models.length);
});
