import { getConfig } from "@arbiter/config";
import { disconnectPrisma } from "@arbiter/db";
import { startArbiterWorker } from "./start-arbiter-worker.ts";

/**
 * `npm run worker`: a job worker in its own process, for deployments on a PostgreSQL server
 * (run as many as you like; set ARBITER_WORKER=off on the web servers to keep judge calls off
 * them). SIGINT/SIGTERM stop it gracefully: running jobs get 30 s, the rest go back to the queue.
 */
export async function runWorkerProcess(): Promise<void> {
  const config = getConfig();
  if (!config.DATABASE_URL)
    throw new Error("DATABASE_URL is not set: a separate worker needs a PostgreSQL server (the embedded database runs its worker inside `npm start`).");
  const worker = startArbiterWorker();
  console.log(
    `[arbiter worker] started: concurrency ${config.ARBITER_WORKER_CONCURRENCY}, poll ${config.ARBITER_WORKER_POLL_MS} ms, lease ${config.ARBITER_JOB_LEASE_MS} ms`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      console.log("[arbiter worker] stopping: waiting for running jobs");
      worker.stop({ graceMs: 30_000 }).then(resolve, resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await disconnectPrisma();
}
