// Copies the product's static assets — the repository's top-level public/ (favicon, logo, icons,
// web manifest) — into apps/web/public, the folder Next.js serves at the site's root, before each
// build. apps/web/public is generated (git-ignored, like public/ort beside them): edit public/.
//   node bin/copy-public-assets.mjs <source folder> <destination folder>
/* global process, console */
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const [source, destination] = process.argv.slice(2);
if (!source || !destination) {
  console.error("usage: copy-public-assets.mjs <source folder> <destination folder>");
  process.exit(2);
}
// Generated there by other steps, not copies of ours.
const KEEP = new Set(["ort"]);
const from = resolve(source);
const to = resolve(destination);
mkdirSync(to, { recursive: true });
const names = new Set(readdirSync(from));
// A file deleted from public/ must not live on in the app.
for (const name of readdirSync(to)) if (!names.has(name) && !KEEP.has(name)) rmSync(join(to, name), { recursive: true, force: true });
cpSync(from, to, { recursive: true });
console.log(`static assets (${[...names].join(", ")}) in ${to}`);
