import { expect, test, type APIRequestContext, type Page, type Response } from "@playwright/test";
import { replyWith, shownResponses, startOpenAITestServer, type OpenAITestServer } from "@arbiter/judge/testing";
import { apiToken, bearer, demo, signIn } from "./helpers";

// The LLM judge's verdict as the hint (hintSource: "judge"): a judge on a local OpenAI-compatible
// server labels the items through the in-server worker; the annotation page shows its verdict on
// human-routed items with what it rests on, and nothing on calibration items.

type TaskJson = {
  assignmentId: string;
  candidates: Array<{ id: string; content: string }>;
  hintSource?: string;
  hintCondition?: string;
  judgeHint?: { kind: "judge"; winner: string | null; calibrationItems: number; agreement: number | null };
};

let server: OpenAITestServer;

test.beforeAll(async () => {
  server = await startOpenAITestServer({
    handler: (request) => {
      const label = [...shownResponses(request)].find(([, text]) => text.includes("correct"))?.[0] ?? "A";
      return replyWith({ winner: label, confidence: 0.9, rationale: `Response ${label} is correct.` });
    },
  });
});

test.afterAll(async () => {
  await server.close();
});

/** The task on screen: the tasks/next answer whose candidates the page shows. */
async function openTask(page: Page, campaignId: string): Promise<TaskJson> {
  const answers: TaskJson[] = [];
  const collect = async (response: Response) => {
    if (response.url().includes(`/api/v1/campaigns/${campaignId}/tasks/next`) && response.status() === 200) answers.push((await response.json()) as TaskJson);
  };
  page.on("response", collect);
  await page.goto(`/annotate/${campaignId}`);
  await expect(page.getByRole("form", { name: "Task" })).toBeVisible();
  const shown = await page.locator("form[aria-label=Task] [data-candidate-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-candidate-id")));
  await expect.poll(() => answers.some((t) => t.candidates.map((c) => c.id).join() === shown.join())).toBe(true);
  page.off("response", collect);
  return answers.find((t) => t.candidates.map((c) => c.id).join() === shown.join())!;
}

async function routingState(request: APIRequestContext, token: string, campaignId: string) {
  const response = await request.get(`/api/v1/campaigns/${campaignId}/routing`, { headers: bearer(token) });
  expect(response.status()).toBe(200);
  return (await response.json()) as { items: { byRoute: Record<string, { items: number }> }; judgeJobs: { done: number } };
}

test("the judge's stored verdict is the hint on human-routed items, with its basis; calibration items show none", async ({ page, request }) => {
  test.setTimeout(180_000);
  const admin = await apiToken(request, demo.admin);
  const count = 8;
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: {
      name: `Judge hint ${Date.now()}`,
      taskType: "pairwise",
      status: "active",
      config: {
        overlap: 1,
        goldRate: 0,
        allowTie: false,
        allowBothBad: false,
        hintMode: "always",
        hintSource: "judge",
        // Gate off (an experiment): the judge has no calibration labels yet, so an enforced gate would stay shut.
        hintGate: "off",
        hintControlShare: 0,
        routing: { mode: "hybrid", humanBudget: 1, calibrationFraction: 0.25, seed: 2 },
        judge: { enabled: true, baseUrl: server.baseUrl, model: "e2e-hint-judge", maxRetries: 0, timeoutMs: 5_000 },
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const campaign = (await created.json()) as { id: string };
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `jh-${i}`,
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

  // The in-server worker judges every item, then routes them (all within the budget: calibration or human).
  await expect
    .poll(
      async () => {
        await request.post(`/api/v1/campaigns/${campaign.id}/routing/run`, { headers: bearer(admin) });
        const state = await routingState(request, admin, campaign.id);
        return [state.judgeJobs.done, state.items.byRoute.pending?.items ?? 0];
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toEqual([count, 0]);

  const gate = await request.get(`/api/v1/campaigns/${campaign.id}/reward-model`, { headers: bearer(admin) });
  expect(await gate.json()).toMatchObject({ hintSource: "judge", current: null, gate: { source: "judge", open: true, enforced: false, heldOutPairs: 0 } });

  expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: demo.annotator2.email } })).status()).toBe(
    201,
  );
  const annotator = await apiToken(request, demo.annotator2);
  await signIn(page, demo.annotator2);
  let hinted = 0;
  let bare = 0;
  for (let i = 0; i < count; i++) {
    const task = await openTask(page, campaign.id);
    expect(task.hintSource).toBe("judge");
    const panel = page.locator("[data-hint-source]");
    if (task.judgeHint) {
      hinted++;
      const correct = task.candidates.find((c) => c.content.includes("correct"))!;
      expect(task.judgeHint.winner).toBe(correct.id);
      const letter = String.fromCharCode(65 + task.candidates.indexOf(correct));
      await expect(panel).toHaveAttribute("data-hint-source", "judge");
      // Every percentage says what it rests on (the figure moves as calibration items get labels in this loop).
      const basis =
        task.judgeHint.agreement === null
          ? "not yet measured against annotators (0 calibration items)"
          : `agrees with annotators ${Math.round(task.judgeHint.agreement * 100)} % on ${task.judgeHint.calibrationItems} calibration item${task.judgeHint.calibrationItems === 1 ? "" : "s"}`;
      await expect(panel.getByRole("status")).toHaveText(`Judge: ${letter} — ${basis}.`);
      await expect(panel).toContainText("A second opinion, not the answer.");
    } else {
      // A calibration item: the judge's verdict would contaminate its own agreement measure.
      bare++;
      expect(task.hintCondition).toBe("none");
      await expect(panel).toHaveCount(0);
    }
    const posted = await request.post(`/api/v1/assignments/${task.assignmentId}/judgment`, {
      headers: { ...bearer(annotator), "idempotency-key": `judge-hint-${task.assignmentId}` },
      data: {
        winner: task.candidates[0]!.id,
        ...(task.judgeHint ? { hint: { shown: true, source: "judge", agreed: task.judgeHint.winner === task.candidates[0]!.id } } : {}),
      },
    });
    expect(posted.status(), await posted.text()).toBe(201);
  }
  const state = await routingState(request, admin, campaign.id);
  expect(bare).toBe(state.items.byRoute.calibration!.items);
  expect(hinted).toBe(count - bare);
  expect(hinted).toBeGreaterThan(0);
  expect(bare).toBeGreaterThan(0);
});
