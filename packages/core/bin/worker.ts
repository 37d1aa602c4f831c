import { runWorkerProcess } from "../src/worker/run-worker-process.ts";

runWorkerProcess().catch((error: unknown) => {
  console.error(`[arbiter worker] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
