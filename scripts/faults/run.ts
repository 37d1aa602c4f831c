import { buildExists } from "../lib/launch-app.ts";
import { runJudgeFaults } from "./judge-faults.ts";
import { runKill9 } from "./kill9.ts";
import { runOversizedUpload } from "./oversized-upload.ts";
import { runPgRestart } from "./pg-restart.ts";
import { report, type FaultResult } from "./report.ts";

/**
 * `npm run test:faults [-- name ...]`: every fault script in turn against the production build
 * (`npm run build` first) on the local PostgreSQL server, then a summary. The Postgres restart
 * runs last: it takes the shared server away for a few seconds. Names: oversized-upload, kill9,
 * judge-faults, pg-restart. Each also runs alone: `npx tsx scripts/faults/<name>.ts`.
 */
const all: Record<string, () => Promise<FaultResult>> = {
  "oversized-upload": runOversizedUpload,
  kill9: runKill9,
  "judge-faults": runJudgeFaults,
  "pg-restart": runPgRestart,
};

async function main() {
  if (!buildExists()) throw new Error("No production build: run `npm run build` first.");
  const wanted = process.argv.slice(2).filter((a) => a in all);
  const names = Object.keys(all).filter((n) => wanted.length === 0 || wanted.includes(n));
  const results: Array<FaultResult & { seconds: number }> = [];
  for (const name of names) {
    console.log(`\n=== fault: ${name} ===`);
    const started = Date.now();
    let result: FaultResult;
    try {
      result = await all[name]!();
    } catch (error) {
      result = {
        name,
        ok: false,
        checks: { "ran to the end": false },
        figures: { error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      };
    }
    report(result);
    results.push({ ...result, seconds: (Date.now() - started) / 1000 });
  }
  console.log("\n=== faults summary ===");
  for (const r of results) {
    const passed = Object.values(r.checks).filter(Boolean).length;
    console.log(
      `${r.skipped ? "skip" : r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(18)} ${passed}/${Object.keys(r.checks).length} checks (${r.seconds.toFixed(0)} s)${r.skipped ? ` — ${r.skipped}` : ""}`,
    );
  }
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
