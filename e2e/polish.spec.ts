import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

/** Issue 17, item 9: the small things found on the way, one test each. */

async function campaignWithMember(request: APIRequestContext, admin: string, body: Record<string, unknown>, items: { format: string; data: string }) {
  const created = await request.post("/api/v1/campaigns", { headers: bearer(admin), data: { name: `Polish ${Date.now()}`, status: "active", ...body } });
  expect(created.status()).toBe(201);
  const campaign = (await created.json()) as { id: string };
  const imported = await request.post(`/api/v1/campaigns/${campaign.id}/items?format=${items.format}`, {
    headers: { ...bearer(admin), "content-type": items.format === "native" ? "application/x-ndjson" : "application/json" },
    data: items.data,
  });
  expect(imported.status(), await imported.text()).toBe(200);
  expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: demo.annotator1.email } })).status()).toBe(
    201,
  );
  return campaign;
}

test("invite acceptance ends on the sign-in page saying the account exists, the e-mail filled in", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const email = `invited-${Date.now()}@example.org`;
  const invite = await request.post("/api/v1/invites", { headers: bearer(admin), data: { email, role: "annotator" } });
  expect(invite.status()).toBe(201);
  const { url } = (await invite.json()) as { url: string };
  await page.goto(new URL(url).pathname);
  await page.getByLabel("Your name").fill("Invited Person");
  await page.getByLabel("Choose a password").fill("a-long-password-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByRole("status")).toContainText(`Your account is ready for ${email}. Sign in with the password you just chose.`);
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.getByLabel("Password").fill("a-long-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/annotate/);
});

test("an image in a response is named after the response the annotator sees, not the imported id", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const campaign = await campaignWithMember(
    request,
    admin,
    { taskType: "pairwise", config: { overlap: 1, goldRate: 0 } },
    { format: "imagereward", data: JSON.stringify([{ id: "img-1", prompt: "a red bicycle", generations: ["gen/1.webp", "gen/2.webp"] }]) },
  );
  await signIn(page, demo.annotator1);
  await page.goto(`/annotate/${campaign.id}`);
  const first = page.getByRole("region", { name: "Response A" });
  await expect(first).toBeVisible();
  await expect(first.locator(".media-missing")).toContainText("Response A, image");
  await expect(page.getByRole("region", { name: "Response B" }).locator(".media-missing")).toContainText("Response B, image");
  await expect(page.locator("main")).not.toContainText(/image [ab]\b/);
});

test("annotator pages request nothing the role may not see (no 403 in the log)", async ({ page }) => {
  const refused: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 403 || response.status() === 401) refused.push(`${response.status()} ${response.url()}`);
  });
  await signIn(page, demo.annotator1);
  await page.goto("/annotate");
  const open = page.locator('a[href^="/annotate/"]').first();
  await expect(open).toBeVisible();
  await open.click();
  await expect(
    page
      .getByRole("button", { name: /^Skip/ })
      .or(page.getByText(/All done|No tasks/i))
      .first(),
  ).toBeVisible();
  await page.goto("/account");
  await page.waitForLoadState("networkidle");
  expect(refused).toEqual([]);
});

test("skipping with the reason Other asks for the reason in a text box", async ({ page, request }) => {
  const admin = await apiToken(request, demo.admin);
  const campaign = await campaignWithMember(
    request,
    admin,
    { taskType: "pairwise", config: { overlap: 1, goldRate: 0 } },
    {
      format: "native",
      data:
        JSON.stringify({
          id: "s-1",
          prompt: "Say hi.",
          responses: [
            { id: "a", content: "Hi" },
            { id: "b", content: "Hello" },
          ],
        }) + "\n",
    },
  );
  await signIn(page, demo.annotator1);
  await page.goto(`/annotate/${campaign.id}`);
  await page.getByRole("button", { name: /^Skip/ }).click();
  await page.getByLabel("Reason for skipping").selectOption("Other");
  await expect(page.getByLabel("Other reason")).toBeVisible();
});

test.describe("touch screens", () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  test("show no keyboard hints", async ({ page }) => {
    await signIn(page, demo.annotator1);
    await page.goto("/annotate");
    await page.locator('a[href^="/annotate/"]').first().click();
    const submit = page.getByRole("button", { name: /^Submit/ });
    await expect(submit).toBeVisible();
    await expect(submit.locator("kbd")).toBeHidden();
    await expect(page.getByRole("button", { name: /^Skip/ }).locator("kbd")).toBeHidden();
  });
});

test.describe("a browser in another time zone and locale than the server", () => {
  test.use({ timezoneId: "America/Los_Angeles", locale: "de-DE" });
  test("renders the routing page without a hydration error (#418)", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await signIn(page, demo.admin);
    await page.goto("/campaigns");
    const first = page.locator('a[href^="/campaigns/"]').first();
    const href = await first.getAttribute("href");
    await page.goto(`${href}/routing`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(errors.filter((e) => /418|hydrat/i.test(e))).toEqual([]);
  });
});

test("the campaign builder: task-kind radios one size, attribute rows inside their card at 1280 and 390 px", async ({ page }) => {
  await signIn(page, demo.admin);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 1280 ? 800 : 844 });
    await page.goto("/admin/campaigns/new");
    const radios = page.getByRole("radiogroup", { name: "Task kind" }).getByRole("radio");
    await expect(radios).toHaveCount(3);
    const boxes = await radios.evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => [Math.round(r.width), Math.round(r.height)]));
    expect(new Set(boxes.map((b) => b.join("x"))).size, JSON.stringify(boxes)).toBe(1);
    await page.getByRole("radio", { name: /Rationale/ }).check();
    await page.getByRole("button", { name: /HelpSteer2/ }).click();
    const rows = page.locator(".attribute-row");
    await expect(rows).toHaveCount(5);
    const overflow = await page.locator(".attributes-editor").evaluate((editor) => {
      const card = editor.closest("fieldset") ?? editor;
      const right = card.getBoundingClientRect().right;
      return [...editor.querySelectorAll(".attribute-row > *")].map((el) => el.getBoundingClientRect().right - right).filter((d) => d > 0.5);
    });
    expect(overflow).toEqual([]);
  }
});
