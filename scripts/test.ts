import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * `npm test`: typecheck, lint, unit, production build, integration (a fresh database on
 * DATABASE_URL's server, else the embedded PGlite; includes HTTP tests against the build),
 * Playwright e2e — then one summary line.
 * Tiers: pass names after `--` to run some only (e.g. `npm test -- unit integration`).
 */
interface TierResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  ok: boolean;
  seconds: number;
}

// build comes before integration: the HTTP security tests run against the production build.
const all = ["typecheck", "lint", "unit", "build", "integration", "e2e"] as const;
const wanted = process.argv.slice(2).filter((a) => (all as readonly string[]).includes(a));
const tiers = wanted.length > 0 ? wanted : [...all];
const reports = join(process.cwd(), "test-results");
mkdirSync(reports, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.CI ? "0" : process.env.FORCE_COLOR };

function run(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return { ok: result.status === 0, seconds: (Date.now() - started) / 1000 };
}

function vitestCounts(file: string) {
  if (!existsSync(file)) return null;
  const data = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: data.numPassedTests, failed: data.numFailedTests, skipped: data.numPendingTests + data.numTodoTests };
}

function playwrightCounts(file: string) {
  if (!existsSync(file)) return null;
  const data = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: data.stats.expected + data.stats.flaky, failed: data.stats.unexpected, skipped: data.stats.skipped };
}

const results: TierResult[] = [];
const single = (name: string, r: { ok: boolean; seconds: number }) =>
  results.push({ name, passed: r.ok ? 1 : 0, failed: r.ok ? 0 : 1, skipped: 0, ok: r.ok, seconds: r.seconds });

spawnSync("npm", ["run", "db:generate", "--silent"], { stdio: "inherit", env });

for (const tier of tiers) {
  console.log(`\n=== ${tier} ===`);
  if (tier === "typecheck") {
    const packages = run("npx", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);
    const scripts = run("npx", ["tsc", "--noEmit", "-p", "scripts"]);
    const e2e = run("npx", ["tsc", "--noEmit", "-p", "e2e"]);
    single(tier, { ok: packages.ok && scripts.ok && e2e.ok, seconds: packages.seconds + scripts.seconds + e2e.seconds });
  } else if (tier === "lint") {
    const eslint = run("npx", ["eslint", "--max-warnings=0", "."]);
    const format = run("npx", ["prettier", "--check", "--log-level=warn", "."]);
    single(tier, { ok: eslint.ok && format.ok, seconds: eslint.seconds + format.seconds });
  } else if (tier === "build") single(tier, run("npx", ["turbo", "run", "build", "--output-logs=errors-only"]));
  else if (tier === "unit" || tier === "integration") {
    const out = join(reports, `${tier}.json`);
    rmSync(out, { force: true });
    const r = run("npx", ["vitest", "run", "--project", tier, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
    const counts = vitestCounts(out) ?? { passed: 0, failed: 1, skipped: 0 };
    results.push({ name: tier, ...counts, failed: counts.failed + (r.ok || counts.failed > 0 ? 0 : 1), ok: r.ok, seconds: r.seconds });
  } else if (tier === "e2e") {
    const out = join(reports, "e2e.json");
    rmSync(out, { force: true });
    const r = run("npx", ["playwright", "test", "--config", "e2e/playwright.config.ts"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
    const counts = playwrightCounts(out) ?? { passed: 0, failed: 1, skipped: 0 };
    results.push({ name: tier, ...counts, failed: counts.failed + (r.ok || counts.failed > 0 ? 0 : 1), ok: r.ok, seconds: r.seconds });
  }
}

console.log("\n=== summary ===");
for (const r of results)
  console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${r.seconds.toFixed(1)} s)`);
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
const skipped = results.reduce((s, r) => s + r.skipped, 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || results.some((r) => !r.ok) ? 1 : 0);
