import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const demo = {
  admin: { email: "admin@arbiter.local", password: "arbiter-admin" },
  researcher: { email: "researcher@arbiter.local", password: "arbiter-research" },
  annotator1: { email: "annotator1@arbiter.local", password: "arbiter-annotate" },
  annotator2: { email: "annotator2@arbiter.local", password: "arbiter-annotate" },
  annotator3: { email: "annotator3@arbiter.local", password: "arbiter-annotate" },
};

export async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function apiToken(request: APIRequestContext, account: { email: string; password: string }): Promise<string> {
  const response = await request.post("/api/v1/tokens", { data: account });
  expect(response.status()).toBe(201);
  return (await response.json()).token as string;
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
