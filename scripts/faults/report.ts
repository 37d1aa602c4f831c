import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../lib/launch-app.ts";

export interface FaultResult {
  name: string;
  ok: boolean;
  /** What was asserted, each true or false. */
  checks: Record<string, boolean>;
  /** What was measured, for RELIABILITY.md. */
  figures: Record<string, unknown>;
  /** Why a check could not run (e.g. no Postgres cluster to restart here). */
  skipped?: string;
}

/** Prints a fault script's result (and appends it to test-results/faults.jsonl); exits 1 on failure. */
export function finish(run: () => Promise<FaultResult>): void {
  run()
    .then((result) => {
      report(result);
      process.exit(result.ok ? 0 : 1);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

export function report(result: FaultResult): void {
  console.log(JSON.stringify(result, null, 2));
  for (const [check, passed] of Object.entries(result.checks)) console.log(`${passed ? "ok  " : "FAIL"} ${result.name}: ${check}`);
  if (result.skipped) console.log(`skip ${result.name}: ${result.skipped}`);
  try {
    const dir = join(repoRoot, "test-results");
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, "faults.jsonl"), JSON.stringify({ at: new Date().toISOString(), ...result }) + "\n");
  } catch {
    // a read-only checkout: the console output is the record
  }
}
