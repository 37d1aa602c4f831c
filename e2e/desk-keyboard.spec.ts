import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

/**
 * Issue 17 items 3–6: every task kind by keyboard alone from page load, no key lost between two
 * tasks, and a progress counter that means something.
 */

type Kind = "pairwise" | "kwise" | "rationale";

function items(kind: Kind, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${kind}-${i}`,
    prompt: `Question ${i}: which answer is better?`,
    responses:
      kind === "kwise"
        ? ["First answer here.", "Second answer here.", "Third answer here.", "Fourth answer here."].map((content, r) => ({
            id: `r${r}`,
            content: `${content} (${i})`,
          }))
        : [
            { id: "a", content: `The answer is ${i}. It is right because of the rule. Another sentence follows.` },
            { id: "b", content: `Maybe ${i + 1}, not sure.` },
          ],
  }));
}

async function campaign(request: APIRequestContext, kind: Kind, config: Record<string, unknown>, n = 4): Promise<string> {
  const admin = await apiToken(request, demo.admin);
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: { name: `Keys ${kind} ${Date.now()}`, taskType: kind, status: "active", config: { overlap: 2, goldRate: 0, ...config } },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const imported = await request.post(`/api/v1/campaigns/${id}/items?format=native`, {
    headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
    data: items(kind, n)
      .map((item) => JSON.stringify(item))
      .join("\n"),
  });
  expect(imported.status()).toBe(200);
  for (const who of [demo.annotator1, demo.annotator2, demo.annotator3]) {
    expect((await request.post(`/api/v1/campaigns/${id}/members`, { headers: bearer(admin), data: { email: who.email } })).status()).toBe(201);
  }
  return id;
}

async function judgmentsBy(request: APIRequestContext, campaignId: string, email: string) {
  const admin = await apiToken(request, demo.admin);
  const response = await request.get(`/api/v1/campaigns/${campaignId}/judgments?source=human`, { headers: bearer(admin) });
  expect(response.status()).toBe(200);
  return ((await response.json()).judgments as Array<Record<string, unknown>>).filter((j) => j.annotatorEmail === email);
}

const taskForm = (page: Page) => page.getByRole("form", { name: "Task" });
const saved = (page: Page) => expect(page.getByRole("status").filter({ hasText: "All judgments saved" })).toBeVisible();

test("K-wise: j, k, arrows and numbers work from page load; an untouched ranking needs a second Enter", async ({ page, request }) => {
  const id = await campaign(request, "kwise", { k: 4, allowTie: true });
  await signIn(page, demo.annotator2);
  await page.goto(`/annotate/${id}`);
  const cards = page.getByRole("list", { name: "Ranking, best first" }).getByRole("listitem");
  await expect(cards).toHaveCount(4);
  const [a, b, c, d] = (await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-candidate-id")!))) as [string, string, string, string];
  // No Tab, no click: the first response is current from load.
  await expect(cards.nth(0)).toHaveAttribute("data-cursor", "true");
  await page.keyboard.press("j"); // b current
  await expect(cards.nth(1)).toHaveAttribute("data-cursor", "true");
  await page.keyboard.press("j"); // c current
  await page.keyboard.press("1"); // c a b d
  await expect(cards.nth(0)).toHaveAttribute("data-candidate-id", c);
  await page.keyboard.press("j"); // a current
  await page.keyboard.press("ArrowDown"); // c b a d
  await expect(cards.nth(2)).toHaveAttribute("data-candidate-id", a);
  await page.keyboard.press("k"); // b current
  await page.keyboard.press("t"); // b tied with c
  await expect(cards.nth(1)).toHaveAccessibleName(/rank 1 \(tied\)/);
  await expect(taskForm(page).getByText("Ready to submit.")).toBeVisible();
  const first = await taskForm(page).getAttribute("data-assignment-id");
  await page.keyboard.press("Enter");
  await expect(taskForm(page)).not.toHaveAttribute("data-assignment-id", first!);

  // The next task, untouched: Enter asks first, and nothing is sent until the second.
  const second = await taskForm(page).getAttribute("data-assignment-id");
  const shown = await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-candidate-id")!));
  await expect(taskForm(page).getByText(/Not ranked yet/)).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(taskForm(page).getByText("Submit the order as shown? Enter again to confirm.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Submit as shown/ })).toBeVisible();
  await expect(taskForm(page)).toHaveAttribute("data-assignment-id", second!);
  await saved(page);
  expect(await judgmentsBy(request, id, demo.annotator2.email)).toHaveLength(1);
  await page.keyboard.press("Enter");
  await expect(taskForm(page)).not.toHaveAttribute("data-assignment-id", second!);
  await saved(page);

  const mine = await judgmentsBy(request, id, demo.annotator2.email);
  expect(mine).toHaveLength(2);
  const byTime = mine.sort((x, y) => String(x.createdAt).localeCompare(String(y.createdAt)));
  expect(byTime[0]!.rankingCandidateIds).toEqual([[c, b], [a], [d]]);
  expect(byTime[1]!.rankingCandidateIds).toEqual(shown.map((x) => [x]));
});

test("rationale by keyboard: number keys rate the focused attribute, arrows move between attributes, spans are tagged with the caret", async ({
  page,
  request,
}) => {
  const id = await campaign(request, "rationale", { rationaleMinLength: 10 });
  await signIn(page, demo.annotator1);
  await page.goto(`/annotate/${id}`);
  const aId = (await page.getByRole("region", { name: "Response A" }).getAttribute("data-candidate-id"))!;
  const bId = (await page.getByRole("region", { name: "Response B" }).getAttribute("data-candidate-id"))!;
  const aText = (await page.locator(`[data-raw-text="${aId}"]`).textContent())!;

  await page.keyboard.press("2"); // B is better
  await page.keyboard.press("a"); // the first attribute of A
  await expect(page.getByLabel("helpfulness of Response A")).toBeFocused();
  await page.keyboard.press("3");
  await expect(page.getByLabel("helpfulness of Response A")).toHaveValue("3");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByLabel("correctness of Response A")).toBeFocused();
  await page.keyboard.press("1");
  await page.keyboard.press("9"); // out of the 0–4 scale: ignored
  await expect(page.getByLabel("correctness of Response A")).toHaveValue("1");
  await page.keyboard.press("ArrowRight"); // the same attribute of B
  await expect(page.getByLabel("correctness of Response B")).toBeFocused();
  await page.keyboard.press("4");
  await page.keyboard.press("ArrowUp");
  await expect(page.getByLabel("helpfulness of Response B")).toBeFocused();
  await page.keyboard.press("Escape");

  await page.keyboard.press("h"); // A's text for span tagging
  const raw = page.locator(`[data-raw-text="${aId}"]`);
  await expect(raw).toBeFocused();
  await page.keyboard.press("ArrowRight"); // caret on the first word
  await page.keyboard.press("ArrowRight"); // the second
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("Shift+ArrowRight"); // words 2–4: "answer is 0."
  const words = [...aText.matchAll(/\S+/g)];
  const start = words[1]!.index!;
  const end = words[3]!.index! + words[3]![0].length;
  await expect(raw).toHaveAttribute("data-keyboard-selection", `${start}-${end}`);
  await page.keyboard.press("1"); // the first label: incorrect
  await expect(page.getByRole("list", { name: "Tagged spans in Response A" })).toContainText(aText.slice(start, end));
  // Still on the same response: the digit did not choose response A.
  await expect(page.getByRole("button", { name: /B is better/ })).toHaveAttribute("aria-pressed", "true");

  await page.keyboard.press("Escape");
  await page.keyboard.press("w");
  await expect(page.getByLabel(/^Rationale/)).toBeFocused();
  await page.keyboard.type("B hedges but A is wrong.");
  await page.keyboard.press("Control+Enter");
  await saved(page);

  const [mine] = await judgmentsBy(request, id, demo.annotator1.email);
  expect(mine).toMatchObject({
    winnerCandidateId: bId,
    rationale: "B hedges but A is wrong.",
    attributes: { [aId]: { helpfulness: 3, correctness: 1 }, [bId]: { correctness: 4 } },
    spans: [{ candidateId: aId, start, end, label: "incorrect" }],
  });
});

test("no dropped keys: keys pressed while the next task loads apply to it, and the prefetched task shows without a loading frame", async ({
  page,
  request,
}) => {
  const id = await campaign(request, "pairwise", {}, 5);
  await signIn(page, demo.annotator3);
  // Record every "Loading the next task…" that reaches the DOM.
  await page.addInitScript(() => {
    (window as unknown as { loadingSeen: number }).loadingSeen = 0;
    new MutationObserver(() => {
      if (document.body?.innerText.includes("Loading the next task")) (window as unknown as { loadingSeen: number }).loadingSeen++;
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const prefetched = page.waitForResponse((r) => r.url().includes("/tasks/next?exclude="));
  await page.goto(`/annotate/${id}`);
  await expect(taskForm(page)).toBeVisible();
  await prefetched;
  await page.evaluate(() => ((window as unknown as { loadingSeen: number }).loadingSeen = 0));

  // Prefetched: the next task is on screen in the submit's own render.
  const first = await taskForm(page).getAttribute("data-assignment-id");
  const next = page.waitForResponse((r) => r.url().includes("/tasks/next?exclude="));
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect(taskForm(page)).not.toHaveAttribute("data-assignment-id", first!);
  expect(await page.evaluate(() => (window as unknown as { loadingSeen: number }).loadingSeen)).toBe(0);
  await next;

  // Now the next prefetch is held back: keys pressed meanwhile are kept, shown, and applied in order.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/tasks\/next\?exclude=/, async (route) => {
    await held;
    await route.continue();
  });
  // The third task was prefetched before the hold: it shows at once; its own prefetch (the fourth) is held.
  const second = await taskForm(page).getAttribute("data-assignment-id");
  await page.keyboard.press("2");
  await page.keyboard.press("Enter");
  const third = await taskForm(page).getAttribute("data-assignment-id");
  expect(third).not.toBe(second);
  // The third task's prefetch is held: submitting it shows "Loading", and the keys typed meanwhile wait.
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Loading the next task…")).toBeVisible();
  await page.keyboard.press("2");
  await page.keyboard.press("Enter");
  await expect(page.locator(".kept-keys kbd")).toHaveText(["2", "Enter"]);
  const fourthTask = page.waitForResponse((r) => r.url().includes("/tasks/next?exclude="));
  release();
  await fourthTask;
  await page.unroute(/\/tasks\/next\?exclude=/);
  await saved(page);
  await expect(async () => expect(await judgmentsBy(request, id, demo.annotator3.email)).toHaveLength(4)).toPass();
  const mine = (await judgmentsBy(request, id, demo.annotator3.email)).sort((x, y) => String(x.createdAt).localeCompare(String(y.createdAt)));
  // Each judgment's winner is the response in the place the key named (1 = first shown, 2 = second).
  const places = mine.map((j) => (j.presentedOrder as string[]).indexOf(j.winner as string) + 1);
  expect(places).toEqual([1, 2, 1, 2]);
});

test("keys pressed after the last task are refused out loud, not dropped", async ({ page, request }) => {
  const id = await campaign(request, "pairwise", {}, 1);
  await signIn(page, demo.annotator1);
  await page.route(/\/tasks\/next\?exclude=/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto(`/annotate/${id}`);
  await expect(taskForm(page)).toBeVisible();
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Loading the next task…")).toBeVisible();
  await page.keyboard.press("2");
  await expect(page.getByRole("heading", { name: "All done here" })).toBeVisible();
  await expect(page.getByText(/A key pressed while the next task was loading was not used \(2\): there is no next task/)).toBeVisible();
});

test("progress: 'N of your M · time left' from the annotator's share and median time", async ({ page, request }) => {
  // 6 items × overlap 2 over 3 members: 4 each.
  const id = await campaign(request, "pairwise", {}, 6);
  await signIn(page, demo.annotator2);
  await page.goto(`/annotate/${id}`);
  const progress = page.locator(".my-progress");
  await expect(progress).toHaveText("0 of your 4");
  await expect(page.getByText(/done this session/)).toHaveCount(0);
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect(progress).toHaveText(/^1 of your 4 · (under a minute|about \d+ min) left$/);
  // Undo takes it back from the count too.
  await page.keyboard.press("u");
  await expect(page.getByText("Your last judgment was undone")).toBeVisible();
  await expect(progress).toHaveText("0 of your 4");
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await saved(page);
  // From the server after a reload: judged, the share and the time left from the median.
  await page.reload();
  await expect(progress).toHaveText(/^1 of your 4 · (under a minute|about \d+ min) left$/);
});

test("undo while the judgment is still being sent: the server keeps nothing", async ({ page, request }) => {
  const id = await campaign(request, "pairwise", {}, 2);
  await signIn(page, demo.annotator3);
  await page.goto(`/annotate/${id}`);
  await expect(taskForm(page)).toBeVisible();
  const first = await taskForm(page).getAttribute("data-assignment-id");
  await page.route(/\/judgment$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect(taskForm(page)).not.toHaveAttribute("data-assignment-id", first!);
  await page.keyboard.press("u"); // the POST is in flight
  await expect(page.getByText("Your last judgment was undone")).toBeVisible();
  await expect(taskForm(page)).toHaveAttribute("data-assignment-id", first!);
  await page.unroute(/\/judgment$/);
  await saved(page);
  expect(await judgmentsBy(request, id, demo.annotator3.email)).toHaveLength(0);
});
