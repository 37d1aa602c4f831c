import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** `npm run bench [-- name ...]`: builds once, then runs the named benchmarks (default: all present). */
const available: Record<string, string> = {
  annotate: "scripts/bench/annotate-load.ts",
  import: "scripts/bench/import.ts",
  "import-export": "scripts/bench/import-export.ts",
  "judge-jobs": "scripts/bench/judge-jobs.ts",
  hints: "scripts/bench/hint-latency.ts",
  "onnx-hints": "scripts/bench/onnx-hint-latency.ts",
  "deep-queue": "scripts/bench/deep-queue.ts",
  "hint-gate": "scripts/bench/hint-gate.ts",
  battles: "scripts/bench/battles.ts",
  "next-task": "scripts/bench/next-task.ts",
};
const wanted = process.argv.slice(2).filter((a) => a in available);
const names = (wanted.length ? wanted : Object.keys(available)).filter((n) => existsSync(available[n]!));
const build = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
let failed = false;
for (const name of names) {
  console.log(`\n=== bench: ${name} ===`);
  const r = spawnSync("npx", ["tsx", available[name]!], { stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
