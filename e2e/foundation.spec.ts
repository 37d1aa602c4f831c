import { expect, test } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

test("the demo admin signs in and sees the campaigns", async ({ page }) => {
  await signIn(page, demo.admin);
  await expect(page).toHaveURL(/\/admin$/);
  const campaigns = page.getByRole("table", { name: "Campaigns" });
  await expect(campaigns.getByRole("link", { name: "Demo: which answer is better?" })).toBeVisible();
  await expect(campaigns.getByRole("link", { name: "Demo: rank four answers" })).toBeVisible();
  await expect(campaigns.getByRole("link", { name: "Demo: explain your preference" })).toBeVisible();
});

test("an annotator cannot open admin pages and gets 403 from admin API routes", async ({ page, request }) => {
  await signIn(page, demo.annotator1);
  await expect(page).toHaveURL(/\/annotate$/);
  const adminPage = await page.goto("/admin");
  expect(adminPage?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  const researchPage = await page.goto("/campaigns");
  expect(researchPage?.status()).toBe(403);

  // With the browser's session cookie…
  const viaCookie = await page.request.post("/api/v1/users", {
    data: { email: "x@example.com", role: "admin" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(viaCookie.status()).toBe(403);
  // …and with a bearer token.
  const token = await apiToken(request, demo.annotator1);
  for (const [method, url, data] of [
    ["POST", "/api/v1/users", { email: "y@example.com", role: "admin" }],
    ["GET", "/api/v1/users", undefined],
    ["POST", "/api/v1/campaigns", { name: "x", taskType: "pairwise" }],
    ["POST", "/api/v1/invites", {}],
  ] as const) {
    const response = await request.fetch(url, { method, headers: bearer(token), data });
    expect(response.status(), `${method} ${url}`).toBe(403);
    expect((await response.json()).error.code).toBe("forbidden");
  }
});

test("a cookie-authenticated change from another origin is refused", async ({ page }) => {
  await signIn(page, demo.admin);
  const response = await page.request.post("/api/v1/campaigns", { data: { name: "csrf", taskType: "pairwise" }, headers: { origin: "https://evil.example" } });
  expect(response.status()).toBe(403);
});

test("an admin creates a user with an invite link and the invitee signs up through it", async ({ page, browser }) => {
  await signIn(page, demo.admin);
  await page.getByLabel("User email").fill("newbie@example.com");
  await page.getByRole("button", { name: "Create user" }).click();
  const notice = page.getByRole("status");
  await expect(notice).toContainText("/invite/");
  const link = /(http\S+\/invite\/\S+)/.exec((await notice.textContent()) ?? "")?.[1];
  expect(link).toBeTruthy();

  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(new URL(link!).pathname);
  await invitee.getByLabel("Choose a password").fill("a-long-password");
  await invitee.getByRole("button", { name: "Create account" }).click();
  await invitee.getByLabel("Email").fill("newbie@example.com");
  await invitee.getByLabel("Password").fill("a-long-password");
  await invitee.getByRole("button", { name: "Sign in" }).click();
  await expect(invitee.getByRole("heading", { name: "Your campaigns" })).toBeVisible();
  await context.close();
});
