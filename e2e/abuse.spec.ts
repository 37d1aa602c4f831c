import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { apiToken, bearer, demo, signIn } from "./helpers";

/**
 * XSS attempts in every field an item, a campaign, a rationale or a pause reason can carry, seen
 * by an annotator and by an admin on every page that shows them: the text appears as text,
 * nothing runs (no `window.__pwned`, no dialog), no element or URL from content can execute,
 * and the Content-Security-Policy is never hit — the app works under it, and sanitizing, not the
 * CSP, is what stops the content.
 */

const marker = (n: number) => `window.__pwned=${n}`;
const hostileMarkdown = (n: number) =>
  [
    `<script>${marker(n)}</script>`,
    `<img src=x onerror="${marker(n + 1)}">`,
    `[click me ${n}](javascript:${marker(n + 2)})`,
    `<style>body { display: none !important }</style>`,
    `<iframe src="javascript:window.parent.__pwned=${n + 3}"></iframe>`,
    `![pic](javascript:${marker(n + 4)})`,
    `[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
    `<a href="javascript:${marker(n + 5)}">raw anchor</a>`,
    `<svg onload="${marker(n + 6)}"></svg>`,
    "```html\n<script>" + marker(n + 7) + "</script>\n```",
    `<form action="https://evil.example"><button>go</button></form>`,
  ].join("\n\n");

/** Records CSP violations and dialogs on every page the context opens. */
async function watch(page: Page) {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return dialogs;
}

/** Nothing from content ran or can run on the page as it is now. */
async function expectInert(page: Page, dialogs: string[]) {
  await page.waitForTimeout(300);
  const state = await page.evaluate(() => {
    const w = window as unknown as { __pwned?: number; __csp?: string[] };
    const q = (selector: string) => document.querySelectorAll(selector).length;
    return {
      pwned: w.__pwned ?? null,
      csp: w.__csp ?? [],
      scriptsInContent: q("main script, main iframe, main object, main embed, main form[action^='https://evil'], main svg[onload]"),
      handlers: [...document.querySelectorAll("main *")].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
      badUrls: [...document.querySelectorAll("main [href], main [src]")].filter((el) =>
        /^\s*(javascript|data:text|vbscript)/i.test(el.getAttribute("href") ?? el.getAttribute("src") ?? ""),
      ).length,
      visible: getComputedStyle(document.body).display !== "none",
    };
  });
  expect(state).toEqual({ pwned: null, csp: [], scriptsInContent: 0, handlers: 0, badUrls: 0, visible: true });
  expect(dialogs).toEqual([]);
}

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = await watch(page);
  return { page, dialogs, close: () => context.close() };
}

test("hostile text in every item field, campaign text, rationales and pause reasons renders as text and runs nothing", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const admin = await apiToken(request, demo.admin);
  const stamp = Date.now();
  const name = `Hostile <img src=x onerror="${marker(1)}"> ${stamp}`;
  const description = `<script>${marker(2)}</script> described`;
  const created = await request.post("/api/v1/campaigns", {
    headers: bearer(admin),
    data: {
      name,
      description,
      taskType: "rationale",
      status: "active",
      config: { overlap: 1, goldRate: 0, rationale: "required", rationaleMinLength: 5, attributes: [], guidelines: hostileMarkdown(20) },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const campaign = (await created.json()) as { id: string };

  const model = `<img src=x onerror="${marker(40)}">model`;
  const hostileRole = "<svg onload=__pwned=80>"; // roles are at most 32 characters
  const items = [
    {
      id: `<b>item</b>-"1'`,
      prompt: hostileMarkdown(50),
      responses: [
        { id: "r1", content: hostileMarkdown(60), model },
        { id: "r2", content: "**fine**", model: "plain-model" },
      ],
      media: [
        { type: "image", url: `javascript:${marker(70)}`, alt: `<img src=x onerror="${marker(71)}">` },
        { type: "image", url: "data:text/html,<script>parent.__pwned=72</script>" },
        { type: "audio", url: `javascript:${marker(73)}` },
        { type: "video", url: ` JaVaScRiPt:${marker(74)}` },
      ],
      metadata: { note: `<script>${marker(75)}</script>`, "<b>key</b>": "value" },
    },
    {
      id: "conversation-2",
      messages: [
        { role: hostileRole, content: hostileMarkdown(81) },
        { role: "assistant", content: `[x](javascript:${marker(95)})` },
        { role: "user", content: "which is better?" },
      ],
      responses: [
        { id: "r1", content: hostileMarkdown(100), model },
        { id: "r2", content: "plain", model: "plain-model" },
      ],
    },
  ];
  const imported = await request.post(`/api/v1/campaigns/${campaign.id}/items?format=native`, {
    headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
    data: items.map((i) => JSON.stringify(i)).join("\n"),
  });
  expect(imported.status(), await imported.text()).toBe(200);
  expect((await request.post(`/api/v1/campaigns/${campaign.id}/members`, { headers: bearer(admin), data: { email: demo.annotator3.email } })).status()).toBe(
    201,
  );

  // The annotator: campaign list, workspace, guidelines, both items, hostile rationales.
  const annotator = await newPage(browser);
  const page = annotator.page;
  await page.goto("/login");
  await expectInert(page, annotator.dialogs);
  await signIn(page, demo.annotator3);
  await page.goto("/annotate");
  await expect(page.getByText(name)).toBeVisible();
  await expectInert(page, annotator.dialogs);

  await page.goto(`/annotate/${campaign.id}`);
  const form = page.getByRole("form", { name: "Task" });
  await expect(form).toBeVisible();
  const rationales = [`<img src=x onerror="${marker(120)}"> A wins`, `<script>${marker(121)}</script> [x](javascript:${marker(122)}) B wins`];
  const seen: string[] = [];
  for (let n = 0; n < 2; n++) {
    const prompt = page.getByRole("region", { name: "Prompt" });
    // Earlier turns of a conversation start folded; the hostile text is in them too.
    const earlier = prompt.getByRole("button", { name: /^Show \d+ earlier turns?$/ });
    if ((await earlier.count()) > 0) await earlier.click();
    await expect(prompt).toContainText("<script>window.__pwned=");
    await expect(prompt).toContainText("<style>body");
    const text = (await form.evaluate((el) => el.textContent)) ?? "";
    const before = await prompt.innerText();
    seen.push(text);
    expect(text).toContain("raw anchor");
    expect(text).not.toContain("plain-model"); // model names stay hidden from annotators
    await expectInert(page, annotator.dialogs);
    await page.getByRole("button", { name: n === 0 ? /A is better/ : /B is better/ }).click();
    await page.getByLabel("Rationale").fill(rationales[n]!);
    await page.getByRole("button", { name: /Submit/ }).click();
    if (n === 0) await expect(prompt).not.toHaveText(before);
  }
  // Both items were shown: the prompt one (with its media refused) and the conversation with a hostile role name.
  expect(seen.some((t) => t.includes(hostileRole))).toBe(true);
  expect(seen.some((t) => t.includes(marker(50)))).toBe(true);
  await expect(page.getByRole("status").filter({ hasText: "All judgments saved" })).toBeVisible();
  await page.keyboard.press("g");
  const guidelines = page.getByRole("dialog", { name: "Guidelines" });
  await expect(guidelines).toContainText(`<script>${marker(20)}</script>`);
  await expectInert(page, annotator.dialogs);
  await annotator.close();

  // Pausing with a hostile reason: it shows up on admin pages.
  const annotatorId = ((await (await request.get("/api/v1/users", { headers: bearer(admin) })).json()) as Array<{ id: string; email: string }>).find(
    (u) => u.email === demo.annotator3.email,
  )!.id;
  const reason = `<img src=x onerror="${marker(130)}"> too fast`;
  expect(
    (
      await request.post(`/api/v1/campaigns/${campaign.id}/members/${annotatorId}/status`, { headers: bearer(admin), data: { status: "paused", reason } })
    ).status(),
  ).toBe(200);

  // The admin: campaign page (judgment browser with the rationales), quality dashboard, edit page.
  const adminPage = await newPage(browser);
  await signIn(adminPage.page, demo.admin);
  await adminPage.page.goto(`/campaigns/${campaign.id}`);
  await expect(adminPage.page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(adminPage.page.getByText(description)).toBeVisible();
  for (const r of rationales) await expect(adminPage.page.getByText(r)).toBeVisible();
  await expectInert(adminPage.page, adminPage.dialogs);
  await adminPage.page.goto(`/campaigns/${campaign.id}/quality`);
  await expect(adminPage.page.getByText(reason).first()).toBeVisible();
  await expectInert(adminPage.page, adminPage.dialogs);
  await adminPage.page.goto(`/admin/campaigns/${campaign.id}/edit`);
  await expect(adminPage.page.locator("main")).toContainText("too fast");
  await expectInert(adminPage.page, adminPage.dialogs);
  await adminPage.page.goto("/admin");
  await expectInert(adminPage.page, adminPage.dialogs);
  await adminPage.close();

  // Put the demo annotator back for other specs.
  expect(
    (await request.post(`/api/v1/campaigns/${campaign.id}/members/${annotatorId}/status`, { headers: bearer(admin), data: { status: "active" } })).status(),
  ).toBe(200);
});

test("the app works under its CSP: sign-in, annotating and the researcher pages raise no violation", async ({ browser }) => {
  const { page, dialogs, close } = await newPage(browser);
  await signIn(page, demo.researcher);
  for (const path of ["/campaigns", "/"]) {
    await page.goto(path);
    await expectInert(page, dialogs);
  }
  const first = page.getByRole("link").filter({ hasText: /Demo/ }).first();
  if (await first.isVisible()) {
    await first.click();
    await page.waitForLoadState("networkidle");
    await expectInert(page, dialogs);
  }
  await close();
});

/** A local image host: serves a 160×80 image at any path and records every request it gets. */
async function imageHost() {
  const image =
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="80"><rect width="160" height="80" fill="#2a7"/><text x="12" y="48" font-size="24" fill="#fff">allowed</text></svg>';
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "no-store" }).end(image);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test("remote media from hosts the campaign does not allow is never requested and shows a placeholder; an allowed host's image loads", async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const allowed = await imageHost();
  const foreign = await imageHost();
  try {
    const admin = await apiToken(request, demo.admin);
    const stamp = Date.now();
    const annotator = { email: `media-${stamp}@arbiter.local`, password: "media-annotator-password" };
    const created = await request.post("/api/v1/campaigns", {
      headers: bearer(admin),
      data: {
        name: `Remote media ${stamp}`,
        taskType: "pairwise",
        status: "active",
        config: { overlap: 1, goldRate: 0, guidelines: `Look at this:\n\n![guide](http://${foreign.host}/guidelines.png)` },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const campaign = (await created.json()) as { id: string };
    const item = {
      id: "remote-media-1",
      prompt: [
        `![allowed picture](http://${allowed.host}/ok.png)`,
        `![tracking pixel](http://${foreign.host}/markdown.png)`,
        `![protocol-relative](//${foreign.host}/protocol-relative.png)`,
      ].join("\n\n"),
      responses: [
        { id: "a", content: `Answer with a picture ![in answer](https://${foreign.host}/answer.png)` },
        { id: "b", content: "Plain answer" },
      ],
      media: [
        { type: "image", url: `http://${foreign.host}/media.png`, alt: "media image" },
        { type: "audio", url: `http://${foreign.host}/media.mp3` },
        { type: "video", url: `//${foreign.host}/media.mp4` },
        { type: "image", url: `http://${allowed.host}/ok.png?from=media`, alt: "allowed media" },
      ],
    };
    const imported = await request.post(`/api/v1/campaigns/${campaign.id}/items?format=native`, {
      headers: { ...bearer(admin), "content-type": "application/x-ndjson" },
      data: JSON.stringify(item),
    });
    expect(imported.status(), await imported.text()).toBe(200);
    expect((await request.post("/api/v1/users", { headers: bearer(admin), data: { ...annotator, role: "annotator", campaignId: campaign.id } })).status()).toBe(
      201,
    );

    // The admin allows the one host in the campaign builder, where a sentence says why it matters.
    const adminPage = await newPage(browser);
    await signIn(adminPage.page, demo.admin);
    await adminPage.page.goto(`/admin/campaigns/${campaign.id}/edit`);
    const hosts = adminPage.page.getByLabel(/Hosts annotators may load images/);
    await expect(adminPage.page.locator("#cfg-mediaHosts-hint")).toContainText("tells that site the annotator's IP address");
    await hosts.fill(allowed.host);
    await adminPage.page.getByRole("button", { name: "Save changes" }).click();
    await expect(adminPage.page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await adminPage.close();
    const saved = (await (await request.get(`/api/v1/campaigns/${campaign.id}`, { headers: bearer(admin) })).json()) as { config: { mediaHosts?: string[] } };
    expect(saved.config.mediaHosts).toEqual([allowed.host]);

    // The annotator's browser: every request it makes is watched.
    const { page, dialogs, close } = await newPage(browser);
    const contacted: string[] = [];
    page.on("request", (r) => contacted.push(r.url()));
    await signIn(page, annotator);
    await page.goto("/annotate");
    await page.getByRole("link", { name: "Start annotating" }).click();
    await expect(page).toHaveURL(new RegExp(`/annotate/${campaign.id}$`));
    const prompt = page.getByRole("region", { name: "Prompt" });
    await expect(prompt).toBeVisible();
    const refused = `not loaded: host not allowed for this campaign`;
    await expect(page.getByRole("img", { name: `Image from ${foreign.host} ${refused} — tracking pixel` })).toBeVisible();
    await expect(page.getByRole("img", { name: `Image from ${foreign.host} ${refused} — protocol-relative` })).toBeVisible();
    await expect(page.getByRole("img", { name: `Image from ${foreign.host} ${refused} — in answer` })).toBeVisible();
    await expect(page.getByRole("img", { name: `Image from ${foreign.host} ${refused} — media image` })).toBeVisible();
    await expect(page.getByText(`Audio from ${foreign.host} ${refused}`)).toBeVisible();
    await expect(page.getByText(`Video from ${foreign.host} ${refused}`)).toBeVisible();
    // The allowed host's images are there and loaded (a real image, with a width).
    const allowedImage = page.locator(`img[src="http://${allowed.host}/ok.png"]`);
    await expect(allowedImage).toBeVisible();
    await expect.poll(() => allowedImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(160);
    const shown = await allowedImage.boundingBox();
    expect(shown?.width).toBeGreaterThan(100);
    expect(shown?.height).toBeGreaterThan(40);
    await expect(page.locator(`img[src="http://${allowed.host}/ok.png?from=media"]`)).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("remote-media.png"), fullPage: true });
    await page.keyboard.press("g");
    await expect(page.getByRole("dialog", { name: "Guidelines" }).getByText(`Image from ${foreign.host} ${refused}`)).toBeVisible();
    await expectInert(page, dialogs);

    expect(allowed.requests).toContain("/ok.png");
    expect(foreign.requests, "requests the foreign host received").toEqual([]);
    expect(
      contacted.filter((url) => url.includes(foreign.host)),
      "requests the page made to the foreign host",
    ).toEqual([]);
    // The page's CSP names the allowed host and no other remote source.
    const response = await page.goto(`/annotate/${campaign.id}`);
    const csp = (await response!.headers())["content-security-policy"] ?? "";
    expect(csp).toContain(`img-src 'self' data: blob: ${allowed.host};`);
    expect(csp).not.toMatch(/(img|media)-src[^;]*(https?:|\*)/);
    await close();
  } finally {
    await allowed.close();
    await foreign.close();
  }
});
