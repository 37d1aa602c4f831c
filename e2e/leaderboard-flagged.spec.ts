import { expect, test } from "@playwright/test";
import { startOpenAITestServer, streamWith, type OpenAITestServer } from "@arbiter/judge/testing";
import { apiToken, bearer, demo, signIn } from "./helpers";

/**
 * Issue 19: votes on flagged battles (an answer gave its model away) are left out of the
 * leaderboard by default; the quality page says how many, has a toggle to count them, and shows
 * battles per model.
 */

const servers: OpenAITestServer[] = [];

test.beforeAll(async () => {
  servers.push(await startOpenAITestServer({ handler: () => streamWith("The sky scatters blue light more.", { tokenDelayMs: 2 }) }));
  servers.push(await startOpenAITestServer({ handler: () => streamWith("Rayleigh scattering makes it blue.", { tokenDelayMs: 2 }) }));
  // This one names itself in every answer: its battles are flagged.
  servers.push(await startOpenAITestServer({ handler: () => streamWith("As Charlie-Model, I can tell you it is scattering.", { tokenDelayMs: 2 }) }));
});

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

test("the leaderboard leaves flagged battles out, says so, counts them on request and shows battles per model", async ({ page, request }) => {
  test.setTimeout(120_000);
  const admin = await apiToken(request, demo.admin);
  const names = ["Alpha-Model", "Bravo-Model", "Charlie-Model"];
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: {
      name: `Flagged ${Date.now()}`,
      taskType: "pairwise",
      status: "active",
      config: {
        overlap: 1,
        goldRate: 0,
        live: {
          promptSource: "annotator",
          battlesPerMinute: 30,
          contestants: names.map((name, i) => ({ name, baseUrl: servers[i]!.baseUrl, model: `${name.toLowerCase()}-7b` })),
        },
      },
    },
  });
  expect(created.status()).toBe(201);
  const campaign = (await created.json()) as { id: string };
  expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: demo.annotator1.email } })).status()).toBe(
    201,
  );

  const annotator = await apiToken(request, demo.annotator1);
  for (let n = 0; n < 6; n++) {
    const started = await request.post(`/api/v1/campaigns/${campaign.id}/battles`, {
      headers: bearer(annotator),
      data: { prompt: `Why is the sky blue? (${n})` },
    });
    expect(started.status(), await started.text()).toBe(201);
    const battle = (await started.json()) as { battleId: string; assignmentId: string; candidates: Array<{ id: string }> };
    await expect
      .poll(
        async () => ((await (await request.get(`/api/v1/battles/${battle.battleId}`, { headers: bearer(annotator) })).json()) as { status: string }).status,
        {
          timeout: 20_000,
        },
      )
      .toBe("ready");
    const vote = await request.post(`/api/v1/assignments/${battle.assignmentId}/judgment`, {
      headers: { ...bearer(annotator), "idempotency-key": `flagged-${battle.battleId}` },
      data: { winner: battle.candidates[n % 2]!.id },
    });
    expect(vote.status()).toBe(201);
  }

  const researcher = await apiToken(request, demo.researcher);
  const board = await request.get(`/api/v1/campaigns/${campaign.id}/leaderboard`, { headers: bearer(researcher) });
  const leftOut = Number(board.headers()["x-arbiter-flagged-votes-left-out"]);
  const entries = (await board.json()) as Array<{ model: string; battles: number }>;
  // Charlie is in every flagged battle; with three contestants and six battles it fought at least once.
  expect(leftOut).toBeGreaterThan(0);
  const all = await request.get(`/api/v1/campaigns/${campaign.id}/leaderboard?includeFlagged=true`, { headers: bearer(researcher) });
  expect(all.headers()["x-arbiter-include-flagged"]).toBe("true");
  expect(Number(all.headers()["x-arbiter-comparisons"])).toBe(Number(board.headers()["x-arbiter-comparisons"]) + leftOut);
  const battles = new Map(((await all.json()) as Array<{ model: string; battles: number }>).map((e) => [e.model, e.battles]));
  expect([...battles.values()].reduce((a, b) => a + b, 0)).toBe(12);

  await signIn(page, demo.researcher);
  await page.goto(`/campaigns/${campaign.id}/quality`);
  const toggle = page.getByRole("group", { name: "Flagged battles" });
  await expect(toggle).toContainText(`are left out: ${leftOut} vote${leftOut === 1 ? "" : "s"}`);
  const perModel = page.getByRole("table", { name: "Battles per model" });
  for (const [model, count] of battles) await expect(perModel.getByRole("row").filter({ hasText: model })).toContainText(String(count));
  const ranked = page.getByRole("table", { name: "Leaderboard" });
  await expect(ranked.getByRole("columnheader", { name: "Battles" })).toBeVisible();
  for (const e of entries) await expect(ranked.getByRole("row").filter({ hasText: e.model }).getByRole("cell").last()).toHaveText(String(e.battles));

  await toggle.getByRole("link", { name: "Include flagged battles" }).click();
  await expect(page).toHaveURL(/includeFlagged=true/);
  await expect(page.getByRole("group", { name: "Flagged battles" })).toContainText("are counted");
  await expect(ranked.getByRole("row").filter({ hasText: "Charlie-Model" })).toHaveCount(1);
  // Another rating method keeps the choice.
  await page.getByRole("link", { name: "Online Elo" }).click();
  await expect(page).toHaveURL(/method=elo&includeFlagged=true/);
  await page.getByRole("group", { name: "Flagged battles" }).getByRole("link", { name: "Leave them out" }).click();
  await expect(page).not.toHaveURL(/includeFlagged/);
  await expect(page).toHaveURL(/method=elo/);
});
