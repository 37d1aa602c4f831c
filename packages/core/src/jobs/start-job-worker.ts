import { redactUrlsInText } from "@arbiter/outbound";
import { claimJobs } from "./claim-jobs.ts";
import { completeJob } from "./complete-job.ts";
import { extendJobLease } from "./extend-job-lease.ts";
import { failJob } from "./fail-job.ts";
import { JobFailedPermanently, JobRetryLater, type ClaimedJob, type JobHandler } from "./job-types.ts";
import { recoverExpiredJobs } from "./recover-expired-jobs.ts";
import { releaseJob } from "./release-job.ts";

export interface PeriodicTask {
  name: string;
  everyMs: number;
  run(): Promise<void>;
}

export interface JobWorkerOptions {
  handlers: readonly JobHandler[];
  /** Jobs run at once by this worker. */
  concurrency: number;
  /** Idle wait between looks for due jobs. */
  pollMs: number;
  /** Lease per claim; renewed every third of it while the job runs. */
  leaseMs: number;
  /** Work done on a timer by the loop (e.g. a sweep that enqueues jobs). */
  periodic?: readonly PeriodicTask[];
  /** Delay before retrying a failed attempt (default: exponential backoff from 2 s); a handler's JobRetryLater delay wins. */
  retryDelayMs?: (attempt: number) => number;
  /** How often expired leases are recovered (default: a quarter of the lease, at most 5 s, at least a poll). */
  recoverEveryMs?: number;
  log?: (level: "info" | "warn" | "error", message: string, error?: unknown) => void;
}

export interface JobWorker {
  /** Jobs running right now. */
  readonly inFlight: number;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  /**
   * Stops claiming and waits up to `graceMs` for running jobs; the rest are aborted and handed
   * back to the queue. `abandon` stops at once and leaves running jobs leased, as a crash would
   * (their leases expire and another worker re-runs them): for tests of crash recovery.
   */
  stop(options?: { graceMs?: number; abandon?: boolean }): Promise<void>;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * A worker loop over the durable job table. Everything lives in Postgres (status, lease,
 * attempts, result), so any number of these can run in any processes, and a worker that dies
 * mid-job loses nothing: the lease expires and the job runs again. Handlers do their slow part
 * (HTTP) outside any transaction and return an effect that is written, fenced by the lease, in
 * the transaction that marks the job done.
 */
export function startJobWorker(options: JobWorkerOptions): JobWorker {
  const handlers = new Map(options.handlers.map((handler) => [handler.queue, handler]));
  const queues = [...handlers.keys()];
  const log = options.log ?? ((level, message, error) => console[level](`[arbiter worker] ${message}`, error ?? ""));
  // Leases last seconds to minutes; looking for expired ones a few times per lease is enough.
  const recoverEveryMs = options.recoverEveryMs ?? Math.max(options.pollMs, Math.min(5_000, options.leaseMs / 4));
  const running = new Map<string, Running>();
  const lastRun = new Map<string, number>();
  let lastRecover = 0;
  let stopping = false;
  let abandoned = false;
  let wakeUp: (() => void) | null = null;

  const wake = () => {
    wakeUp?.();
    wakeUp = null;
  };
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function execute(job: ClaimedJob, handler: JobHandler, controller: AbortController): Promise<void> {
    const heartbeat = setInterval(
      () => {
        if (abandoned) return;
        extendJobLease({ job, leaseMs: options.leaseMs })
          .then((held) => {
            if (!held) controller.abort(new Error("lease lost"));
          })
          .catch((error: unknown) => log("warn", `could not extend the lease of job ${job.id}`, error));
      },
      Math.max(250, Math.floor(options.leaseMs / 3)),
    );
    heartbeat.unref?.();
    try {
      let outcome;
      try {
        outcome = await handler.run(job, { signal: controller.signal });
      } catch (error) {
        if (abandoned) return;
        if (controller.signal.aborted && stopping) {
          await releaseJob({ job, reason: "the worker stopped before the job finished" });
          return;
        }
        const retryable = !(error instanceof JobFailedPermanently);
        const delayMs = (error instanceof JobRetryLater ? error.delayMs : undefined) ?? options.retryDelayMs?.(job.attempts);
        const status = await failJob({ job, error: describe(error), retryable, delayMs });
        if (status === "failed") log("warn", `job ${job.id} (${job.queue}) failed after attempt ${job.attempts}: ${describe(error)}`);
        return;
      }
      if (abandoned) return;
      const completed = await completeJob({ job, outcome });
      if (!completed) log("warn", `job ${job.id} (${job.queue}) finished after its lease was taken over; its result was discarded`);
    } catch (error) {
      if (!abandoned) log("error", `job ${job.id} (${job.queue}) could not be recorded`, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  function start(job: ClaimedJob) {
    const handler = handlers.get(job.queue);
    const controller = new AbortController();
    if (!handler) return;
    const done = execute(job, handler, controller).finally(() => {
      running.delete(job.id);
      wake();
    });
    running.set(job.id, { controller, done });
  }

  async function tick(): Promise<boolean> {
    const now = Date.now();
    if (now - lastRecover >= recoverEveryMs) {
      lastRecover = now;
      const recovered = await recoverExpiredJobs();
      if (recovered.requeued + recovered.failed > 0)
        log("info", `recovered ${recovered.requeued} job(s) with expired leases (${recovered.failed} out of attempts)`);
    }
    for (const task of options.periodic ?? []) {
      if (now - (lastRun.get(task.name) ?? 0) < task.everyMs) continue;
      lastRun.set(task.name, now);
      await task.run().catch((error: unknown) => log("error", `periodic task ${task.name} failed`, error));
    }
    const free = options.concurrency - running.size;
    if (free <= 0 || stopping) return false;
    const jobs = await claimJobs({ queues, limit: free, leaseMs: options.leaseMs });
    for (const job of jobs) start(job);
    return jobs.length === free;
  }

  const loop = (async () => {
    while (!stopping) {
      let busy = false;
      try {
        busy = await tick();
      } catch (error) {
        log("error", "the worker loop failed; retrying", error);
      }
      if (stopping) break;
      // A full claim means more may be waiting: look again as soon as a slot frees.
      if (busy && running.size >= options.concurrency) await idle(options.pollMs);
      else if (!busy) await idle(options.pollMs);
    }
  })();

  return {
    get inFlight() {
      return running.size;
    },
    wake,
    async stop(stopOptions = {}) {
      stopping = true;
      wake();
      if (stopOptions.abandon) {
        abandoned = true;
        for (const { controller } of running.values()) controller.abort(new Error("worker abandoned"));
        await loop;
        return;
      }
      await loop;
      const graceMs = stopOptions.graceMs ?? 10_000;
      const all = Promise.all([...running.values()].map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
      clearTimeout(timer);
      if (timedOut) {
        for (const { controller } of running.values()) controller.abort(new Error("worker stopping"));
        await Promise.all([...running.values()].map((r) => r.done));
      }
    },
  };
}

/** A failure in one line for the job row and the log: code and message, URLs redacted. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return redactUrlsInText(`${typeof code === "string" ? `${code}: ` : ""}${error.message}`);
  }
  return redactUrlsInText(String(error));
}
