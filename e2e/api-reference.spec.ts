import { expect, test } from "@playwright/test";
import { demo, signIn } from "./helpers";

/**
 * The API reference (/docs/api): the OpenAPI document rendered by the app itself, readable signed out, reached from
 * the header by a researcher, with no request leaving the origin and no CSP violation.
 */

test("the API reference shows the operations by tag, with schemas and examples, from our own origin only", async ({ page, baseURL }) => {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`csp-violation ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on("console", (message) => {
    if (message.text().startsWith("csp-violation")) violations.push(message.text());
  });
  const foreign: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(baseURL!) && !request.url().startsWith("data:")) foreign.push(request.url());
  });

  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Arbiter API");
  await expect(page.getByRole("link", { name: "/api/v1/openapi.json" })).toHaveAttribute("href", "/api/v1/openapi.json");

  const results = page.getByRole("region", { name: "Results" });
  await expect(results.getByRole("heading", { level: 2, name: "Results" })).toBeVisible();
  const exportOp = page.getByRole("region", { name: "GET /api/v1/campaigns/{id}/export", exact: true });
  await expect(exportOp).toContainText("Export a dataset");
  await expect(exportOp).toContainText("bearer token");
  await expect(exportOp.getByRole("table", { name: "Parameters" }).getByRole("row", { name: /promptStyle/ })).toContainText('"auto" | "text" | "messages"');

  const create = page.getByRole("region", { name: "POST /api/v1/campaigns", exact: true });
  await expect(create.getByRole("table", { name: "Request body fields" }).getByRole("row", { name: /taskType/ })).toContainText("yes");
  await expect(create).toContainText('"name": "Helpfulness study"');

  const token = page.getByRole("region", { name: "POST /api/v1/tokens", exact: true });
  await expect(token).toContainText("Auth: none");

  expect(foreign).toEqual([]);
  expect(violations).toEqual([]);

  // From the app: a researcher's header links here.
  await signIn(page, demo.researcher);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API", exact: true }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page.getByLabel("Signed in as")).toContainText(demo.researcher.email);
});
