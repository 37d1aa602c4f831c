import { getConfig } from "@arbiter/config";
import { startArbiterWorker } from "@arbiter/core";

/** The in-server worker, unless switched off, building, or without a database to work on. */
export function startWorkerInServer(): void {
  const config = getConfig();
  if (config.ARBITER_WORKER === "off" || config.NEXT_PHASE === "phase-production-build" || !config.DATABASE_URL) return;
  startArbiterWorker();
}
