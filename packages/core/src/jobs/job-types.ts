import type { Prisma, RawDb } from "@arbiter/db";

/** A Prisma client, a Prisma transaction or a raw `pg` one: enqueueing works in any (raw SQL only). */
export type JobDb = RawDb;

/** A job a worker holds. `attempts` (counted at claim) is the fencing token of this lease. */
export interface ClaimedJob {
  id: string;
  queue: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  lockedUntil: Date;
}

/**
 * What a handler hands back after its slow, side-effect-free part (HTTP calls). `apply` runs in
 * the same transaction that marks the job done — and only if this worker still holds the lease —
 * so a job's effect is written exactly once even when a crashed job runs again.
 */
export interface JobOutcome {
  result?: Prisma.InputJsonValue;
  apply?: (tx: Prisma.TransactionClient) => Promise<void>;
}

export interface JobContext {
  /** Aborted when the worker stops or loses the lease. */
  signal: AbortSignal;
}

export interface JobHandler {
  queue: string;
  run(job: ClaimedJob, context: JobContext): Promise<JobOutcome>;
}

/** Throw from a handler to try again later (after `delayMs`, or the worker's backoff). */
export class JobRetryLater extends Error {
  override readonly name = "JobRetryLater";
  constructor(
    message: string,
    readonly delayMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Throw from a handler when running the job again cannot help (bad settings, missing item). */
export class JobFailedPermanently extends Error {
  override readonly name = "JobFailedPermanently";
}

/** Completing or failing found the job no longer leased to this worker (it expired and was taken over). */
export class JobLeaseLost extends Error {
  override readonly name = "JobLeaseLost";
}
