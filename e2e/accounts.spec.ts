import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

/**
 * Undoing a compromised account from the browser (issue 13, finding 5): an admin disables a
 * user and issues a password reset link; a user lists, creates and revokes their API tokens
 * and changes their password; an admin revokes anyone's tokens.
 */

async function newUser(request: APIRequestContext, role: "annotator" | "researcher" = "annotator") {
  const adminToken = await apiToken(request, demo.admin);
  const user = { email: `acct-${randomUUID().slice(0, 8)}@example.com`, password: `pw-${randomUUID().slice(0, 8)}` };
  const created = await request.post("/api/v1/users", { headers: bearer(adminToken), data: { ...user, role } });
  expect(created.status()).toBe(201);
  return user;
}

/** The row of the admin page's users table for this email. */
function userRow(page: Page, email: string): Locator {
  return page
    .getByRole("table", { name: "Users" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: email, exact: false }) })
    .first();
}

/** The element lies inside the viewport horizontally (nothing clipped or pushed off-screen). */
async function expectWithinViewport(page: Page, locator: Locator) {
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}

test("an admin disables a user: their next request fails at once and sign-in is refused; enabling lets them back", async ({ page, browser, request }) => {
  const user = await newUser(request);
  const userToken = await apiToken(request, user);
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signIn(userPage, user);
  await expect(userPage).toHaveURL(/\/annotate$/);

  await signIn(page, demo.admin);
  const row = userRow(page, user.email);
  const disable = row.getByRole("button", { name: `Disable ${user.email}` });
  await expectWithinViewport(page, row.getByRole("button", { name: `API tokens of ${user.email}` }));
  page.once("dialog", (dialog) => dialog.accept());
  await disable.click();
  await expect(page.getByRole("status")).toContainText(`Disabled ${user.email}: 1 session(s) ended, 1 token(s) revoked`);
  await expect(row.getByRole("cell", { name: "disabled" })).toBeVisible();
  await page.screenshot({ path: "test-results/accounts-admin-disabled.png", fullPage: true });

  // The user's very next request fails, in the browser and from a script.
  expect((await userPage.request.get("/api/v1/me")).status()).toBe(401);
  expect((await request.get("/api/v1/me", { headers: bearer(userToken) })).status()).toBe(401);
  await userPage.reload();
  await expect(userPage).toHaveURL(/\/login/);
  await userPage.getByLabel("Email").fill(user.email);
  await userPage.getByLabel("Password").fill(user.password);
  await userPage.getByRole("button", { name: "Sign in" }).click();
  await expect(userPage.getByRole("alert").filter({ hasText: "This account is disabled. Ask your admin." })).toBeVisible();

  await row.getByRole("button", { name: `Enable ${user.email}` }).click();
  await expect(row.getByRole("cell", { name: "active", exact: true })).toBeVisible();
  await signIn(userPage, user);
  await expect(userPage).toHaveURL(/\/annotate$/);
  // The token revoked by disabling stays revoked.
  expect((await request.get("/api/v1/me", { headers: bearer(userToken) })).status()).toBe(401);
  await userContext.close();
});

test("an admin issues a reset link and the user sets a new password through it; the old password, sessions and tokens stop working", async ({
  page,
  browser,
  request,
}) => {
  const user = await newUser(request, "researcher");
  const oldToken = await apiToken(request, user);
  const oldSessionContext = await browser.newContext();
  const oldSession = await oldSessionContext.newPage();
  await signIn(oldSession, user);

  await signIn(page, demo.admin);
  await userRow(page, user.email)
    .getByRole("button", { name: `Password reset link for ${user.email}` })
    .click();
  const panel = page.getByRole("region", { name: `Reset link for ${user.email}` });
  const linkInput = panel.getByLabel(`Reset link for ${user.email}`);
  await expect(linkInput).toHaveValue(/\/reset-password\/[A-Za-z0-9_-]{20,}$/);
  await expectWithinViewport(page, linkInput);
  await expectWithinViewport(page, panel.getByRole("button", { name: "Copy" }));
  await page.screenshot({ path: "test-results/accounts-admin-reset-link.png", fullPage: true });
  const link = new URL(await linkInput.inputValue());

  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await userPage.goto(link.pathname);
  await expect(userPage.getByText(`Account: ${user.email}`)).toBeVisible();
  await userPage.getByLabel("New password", { exact: true }).fill("set-through-the-link");
  await userPage.getByLabel("Repeat new password").fill("set-through-the-link");
  await userPage.getByRole("button", { name: "Set password" }).click();
  await expect(userPage).toHaveURL(/\/login\?reset=1$/);
  await expect(userPage.getByRole("status")).toHaveText("Your new password is set. Sign in with it.");
  await signIn(userPage, { email: user.email, password: "set-through-the-link" });
  await expect(userPage).toHaveURL(/\/campaigns$/);

  expect((await request.get("/api/v1/me", { headers: bearer(oldToken) })).status()).toBe(401);
  expect((await oldSession.request.get("/api/v1/me")).status()).toBe(401);
  expect((await request.post("/api/v1/tokens", { data: { email: user.email, password: user.password } })).status()).toBe(401);
  // The link is spent.
  await userPage.goto(link.pathname);
  await expect(userPage.getByRole("alert").filter({ hasText: "This reset link is not valid" })).toBeVisible();
  await expect(userPage.getByText(user.email)).toHaveCount(0);
  await userContext.close();
  await oldSessionContext.close();
});

test("a user creates, lists and revokes their own tokens on the account page; an admin revokes theirs on the admin page", async ({
  page,
  browser,
  request,
}) => {
  const user = await newUser(request);
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signIn(userPage, user);
  await userPage.getByRole("link", { name: "Account" }).click();
  await expect(userPage.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(userPage.getByText("No API tokens.")).toBeVisible();

  await userPage.getByLabel("Token name").fill("e2e script");
  await userPage.getByLabel("Expires in (days)").fill("7");
  await userPage.getByLabel("Your password").fill(user.password);
  await userPage.getByRole("button", { name: "Create token" }).click();
  const created = userPage.getByRole("status", { name: "New token" });
  await expect(created).toContainText("Copy it now: it is not shown again.");
  const secretInput = created.getByLabel("Token secret");
  await expect(secretInput).toHaveValue(/^arb_[A-Za-z0-9_-]{43}$/);
  await expectWithinViewport(userPage, secretInput);
  const secret = await secretInput.inputValue();
  expect((await request.get("/api/v1/me", { headers: bearer(secret) })).status()).toBe(200);

  const table = userPage.getByRole("table", { name: "Your API tokens" });
  const tokenRow = table.getByRole("row").filter({ hasText: "e2e script" });
  await expect(tokenRow).toContainText(secret.slice(0, 10));
  await expect(tokenRow).toContainText("active");
  await userPage.screenshot({ path: "test-results/accounts-account-page.png", fullPage: true });
  // After a reload the secret is gone for good: only its first characters are listed.
  await userPage.reload();
  await expect(userPage.getByText(secret)).toHaveCount(0);
  expect(await userPage.content()).not.toContain(secret.slice(10));
  await tokenRow.getByRole("button", { name: /^Revoke token e2e script/ }).click();
  await expect(tokenRow).toContainText("revoked");
  await expect(userPage.getByRole("status")).toContainText("Revoked token “e2e script”");
  expect((await request.get("/api/v1/me", { headers: bearer(secret) })).status()).toBe(401);

  // An admin sees the user's tokens and revokes one.
  const scriptToken = await apiToken(request, user);
  await signIn(page, demo.admin);
  await userRow(page, user.email)
    .getByRole("button", { name: `API tokens of ${user.email}` })
    .click();
  const tokens = page.getByRole("region", { name: `API tokens of ${user.email}` });
  await expect(tokens.getByRole("row")).toHaveCount(3);
  await tokens
    .getByRole("row")
    .filter({ hasText: scriptToken.slice(0, 10) })
    .getByRole("button", { name: /^Revoke token/ })
    .click();
  await expect(page.getByRole("status")).toContainText(`of ${user.email}`);
  await expect(tokens.getByRole("row").filter({ hasText: scriptToken.slice(0, 10) })).toContainText("revoked");
  expect((await request.get("/api/v1/me", { headers: bearer(scriptToken) })).status()).toBe(401);
  await userContext.close();
});

test("changing the password on the account page signs out the other sessions and revokes every token", async ({ browser, request }) => {
  const user = await newUser(request);
  const token = await apiToken(request, user);
  const elsewhereContext = await browser.newContext();
  const elsewhere = await elsewhereContext.newPage();
  await signIn(elsewhere, user);
  const hereContext = await browser.newContext();
  const here = await hereContext.newPage();
  await signIn(here, user);
  await here.goto("/account");
  await here.getByLabel("Current password").fill(user.password);
  await here.getByLabel("New password", { exact: true }).fill("changed-on-the-page");
  await here.getByLabel("Repeat new password").fill("changed-on-the-page");
  await here.getByRole("button", { name: "Change password" }).click();
  await expect(here.getByRole("status")).toHaveText("Password changed. Signed out 1 other session and revoked 1 API token.");
  await expect(here.getByRole("table", { name: "Your API tokens" })).toContainText("revoked");
  expect((await here.request.get("/api/v1/me")).status()).toBe(200);
  expect((await elsewhere.request.get("/api/v1/me")).status()).toBe(401);
  expect((await request.get("/api/v1/me", { headers: bearer(token) })).status()).toBe(401);
  await elsewhereContext.close();
  await hereContext.close();
});
