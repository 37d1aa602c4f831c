import { getConfig } from "@arbiter/config";
import { createJudgeJobHandler } from "../llm-judge/judge-job-handler.ts";
import { createRoutingJobHandler } from "../routing/routing-job-handler.ts";
import { createRewardTrainingJobHandler } from "../reward/reward-training-job-handler.ts";
import { createRoutingSweepMemo, sweepRoutingCampaigns } from "../routing/sweep-routing.ts";
import { startJobWorker, type JobWorker } from "../jobs/start-job-worker.ts";

const ROUTING_SWEEP_MS = 5_000;

const globalForWorker = globalThis as unknown as { arbiterWorker?: JobWorker };

/**
 * The application's job worker: judge calls and routing passes, plus the routing sweep.
 * Concurrency, poll interval and lease come from the environment (ARBITER_WORKER_*). One per
 * process: a second call returns the running worker. It uses the process's one Prisma pool,
 * so it also works on the embedded database (one connection), and holds no transaction open
 * while a judge call is in flight.
 */
export function startArbiterWorker(overrides: { concurrency?: number; pollMs?: number; leaseMs?: number } = {}): JobWorker {
  if (globalForWorker.arbiterWorker) return globalForWorker.arbiterWorker;
  const config = getConfig();
  const memo = createRoutingSweepMemo();
  const worker = startJobWorker({
    handlers: [createJudgeJobHandler(), createRoutingJobHandler(), createRewardTrainingJobHandler()],
    concurrency: overrides.concurrency ?? config.ARBITER_WORKER_CONCURRENCY,
    pollMs: overrides.pollMs ?? config.ARBITER_WORKER_POLL_MS,
    leaseMs: overrides.leaseMs ?? config.ARBITER_JOB_LEASE_MS,
    periodic: [{ name: "routing sweep", everyMs: ROUTING_SWEEP_MS, run: async () => void (await sweepRoutingCampaigns(memo)) }],
    log: (level, message, error) => {
      if (level === "info" && config.ARBITER_LOG_LEVEL !== "debug" && config.ARBITER_LOG_LEVEL !== "info") return;
      console[level](`[arbiter worker] ${message}`, ...(error === undefined ? [] : [error]));
    },
  });
  const stop = worker.stop.bind(worker);
  const handle: JobWorker = {
    get inFlight() {
      return worker.inFlight;
    },
    wake: () => worker.wake(),
    stop: async (options) => {
      globalForWorker.arbiterWorker = undefined;
      await stop(options);
    },
  };
  globalForWorker.arbiterWorker = handle;
  return handle;
}

/**
 * Stops this process's worker, if one runs (the web server's in-process one, on SIGTERM): no new
 * jobs are claimed, running ones get `graceMs` to finish, then are aborted and handed back to the
 * queue at once (`releaseJob`), not left to wait for their lease to expire.
 */
export async function stopWorkerInProcess(graceMs: number): Promise<boolean> {
  const worker = globalForWorker.arbiterWorker;
  if (!worker) return false;
  await worker.stop({ graceMs });
  return true;
}
