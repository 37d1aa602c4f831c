import { expect, test, type Page } from "@playwright/test";
import { demo, signIn } from "./helpers";

/**
 * The product's static assets (the repository's top-level public/, copied into the app at build):
 * served from the site's root with image types, named by every page, and shown under the CSP
 * (img-src 'self') — the favicon in the tab, the logo in the header and on the sign-in page.
 */

const ASSETS: Array<[path: string, type: RegExp]> = [
  ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)$/],
  ["/icon.svg", /^image\/svg\+xml/],
  ["/logo.svg", /^image\/svg\+xml/],
  ["/apple-touch-icon.png", /^image\/png$/],
  ["/icon-192.png", /^image\/png$/],
  ["/icon-512.png", /^image\/png$/],
  ["/manifest.webmanifest", /^application\/manifest\+json/],
];

async function recordCspViolations(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

test("favicon, icons, logo and manifest answer 200 with their types; the favicon is a real ICO", async ({ request }) => {
  for (const [path, type] of ASSETS) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"], path).toMatch(type);
  }
  const ico = await (await request.get("/favicon.ico")).body();
  // ICONDIR: reserved 0, type 1 (icon), then one 16-byte entry per image; each image here is a PNG.
  expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
  const count = ico.readUInt16LE(4);
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    sizes.push(ico.readUInt8(entry));
    const offset = ico.readUInt32LE(entry + 12);
    expect(ico.subarray(offset, offset + 8).toString("hex"), "PNG signature").toBe("89504e470d0a1a0a");
  }
  expect(sizes).toEqual([16, 32, 48]);
});

test("pages name the icons; the logo shows beside the name on the sign-in page and in the header, with no CSP violation", async ({ page }) => {
  await recordCspViolations(page);
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await page.goto("/login");
    await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
    await expect(page.locator('link[rel="icon"][href^="/icon.svg"]')).toHaveCount(1);
    await expect(page.locator('link[rel="apple-touch-icon"][href^="/apple-touch-icon.png"]')).toHaveCount(1);
    await expect(page.locator('link[rel="manifest"][href^="/manifest.webmanifest"]')).toHaveCount(1);

    const title = page.getByRole("heading", { name: "Sign in to Arbiter" });
    await expectLogoBeside(title.locator("img"), title, 30, 24);
  }

  await signIn(page, demo.admin);
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await page.goto("/admin");
    // The logo is decorative: the link still reads "Arbiter".
    const brand = page.getByRole("banner").getByRole("link", { name: "Arbiter", exact: true });
    await expectLogoBeside(brand.locator("img"), brand, 25, 20);
  }
  expect(await cspViolations(page)).toEqual([]);
});

/** The logo is loaded (the CSP let it through), drawn at its size, left of the text and centred on it. */
async function expectLogoBeside(logo: ReturnType<Page["locator"]>, holder: ReturnType<Page["locator"]>, width: number, height: number) {
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const box = (await logo.boundingBox())!;
  expect([Math.round(box.width), Math.round(box.height)]).toEqual([width, height]);
  const text = await holder.evaluate((element) => {
    const range = document.createRange();
    const node = [...element.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())!;
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    return { left: rect.left, top: rect.top, bottom: rect.bottom };
  });
  expect(box.x + box.width).toBeLessThanOrEqual(text.left);
  expect(Math.abs(box.y + box.height / 2 - (text.top + text.bottom) / 2)).toBeLessThanOrEqual(3);
}
