import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "@playwright/test";

/**
 * Renders the bitmap icons in public/ from public/icon.svg with the same Chromium the e2e tests
 * use: favicon.ico (16, 32 and 48 px PNGs in one ICO), apple-touch-icon.png (180 px, square:
 * iOS rounds the corners itself) and the 192 / 512 px icons the web manifest names.
 * Run after changing the SVG:  npx tsx scripts/render-icons.ts
 */

const publicDir = resolve(import.meta.dirname, "../public");
const svg = readFileSync(join(publicDir, "icon.svg"), "utf8");
const BRAND = "#2f5bd3";
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** An ICO file whose images are PNGs (what every browser reads; 256 px and up is written as 0). */
function ico(images: Array<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const render = async (size: number, background?: string): Promise<Buffer> => {
    await page.setViewportSize({ width: size, height: size });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
    await page.setContent(
      `<body style="margin:0;background:${background ?? "transparent"}"><img src="${src}" width="${size}" height="${size}" style="display:block"></body>`,
    );
    await page.locator("img").evaluate((img: HTMLImageElement) => img.decode());
    return page.screenshot({ omitBackground: background === undefined, clip: { x: 0, y: 0, width: size, height: size } });
  };
  writeFileSync(
    join(publicDir, "favicon.ico"),
    ico([
      { size: 16, png: await render(16) },
      { size: 32, png: await render(32) },
      { size: 48, png: await render(48) },
    ]),
  );
  writeFileSync(join(publicDir, "apple-touch-icon.png"), await render(180, BRAND));
  writeFileSync(join(publicDir, "icon-192.png"), await render(192));
  writeFileSync(join(publicDir, "icon-512.png"), await render(512));
  console.log(`icons written to ${publicDir}`);
} finally {
  await browser.close();
}
