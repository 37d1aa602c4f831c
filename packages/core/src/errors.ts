import { z } from "zod";

export const errorCodes = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** The judgment sent with this Idempotency-Key was undone; the key cannot store another. */
  idempotency_key_spent: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorDetail {
  line?: number;
  path?: string;
  message: string;
  [key: string]: unknown;
}

/** The one error type domain code throws for anything a client should see. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetail[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** Parses input with a zod schema; a mismatch is the client's mistake (422 with every issue). */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what = "request body"): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = zodDetails(result.error);
    const first = details[0];
    throw new AppError("unprocessable", `Invalid ${what}${first ? `: ${first.path ? `${first.path}: ` : ""}${first.message}` : ""}`, { details });
  }
  return result.data;
}

/** Postgres SQLSTATEs a client's value causes: text it cannot store, a value out of range or too long, JSON it cannot parse or nest. */
const BAD_VALUE_STATES: Record<string, string> = {
  "22021": "The text contains a character the database cannot store (NUL, \\u0000).",
  "22P05": "The text contains a character the database cannot store (NUL, \\u0000, or an unpaired surrogate).",
  "22P02": "A value is not valid for its field (e.g. JSON with an unpaired surrogate escape).",
  "22001": "A value is too long for its field.",
  "22003": "A number is out of range.",
  "54001": "The value is nested too deeply.",
};

/** A deadlock or serialization failure: Postgres aborted the transaction and asks for it to be run again. */
const RETRY_STATES = new Set(["40P01", "40001"]);

/** Connection-level failures: the database is down, restarting or unreachable, not the request's fault. */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006", "53300"]);
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "DatabaseDoesNotExist"]);
const UNAVAILABLE_PRISMA = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_MESSAGES = /Connection terminated|Client has encountered a connection error|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Unable to start a transaction in the given time|Server has closed the connection|Can't reach database server/i;

/** The SQLSTATE and driver-adapter kind behind an error, wherever Prisma (or pg) put them. */
function databaseCause(error: unknown): { state?: string; kind?: string; message: string } {
  const e = error as { code?: unknown; message?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } }; cause?: { originalCode?: unknown; kind?: unknown; code?: unknown; message?: unknown } } | null;
  const adapter = e?.meta?.driverAdapterError?.cause ?? e?.cause;
  const state = [adapter?.originalCode, e?.meta?.code, (e?.cause as { code?: unknown } | undefined)?.code, e?.code].find((c): c is string => typeof c === "string" && /^[0-9A-Z]{5}$/.test(c));
  const kind = typeof adapter?.kind === "string" ? adapter.kind : undefined;
  const message = [e?.message, e?.cause?.message].filter((m): m is string => typeof m === "string").join(" ");
  return { ...(state ? { state } : {}), ...(kind ? { kind } : {}), message };
}

/** Prisma's well-known failures, translated in one place. */
export function translateDatabaseError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "P2002") return new AppError("conflict", "A record with the same unique value already exists.");
  if (code === "P2025") return new AppError("not_found", "Record not found.");
  if (code === "P2003") return new AppError("unprocessable", "A referenced record does not exist.");
  if (error === null || typeof error !== "object") return null;
  const cause = databaseCause(error);
  if (cause.state && BAD_VALUE_STATES[cause.state]) return new AppError("unprocessable", BAD_VALUE_STATES[cause.state]!);
  if (code === "P2034" || (cause.state && RETRY_STATES.has(cause.state)) || cause.kind === "TransactionWriteConflict") {
    return new AppError("unavailable", "A concurrent change got in the way; retry.", { headers: { "retry-after": "1" } });
  }
  if (
    (typeof code === "string" && (UNAVAILABLE_PRISMA.has(code) || code === "ECONNREFUSED" || code === "ECONNRESET")) ||
    (cause.state && UNAVAILABLE_STATES.has(cause.state)) ||
    (cause.kind && UNAVAILABLE_KINDS.has(cause.kind)) ||
    UNAVAILABLE_MESSAGES.test(cause.message)
  ) {
    return new AppError("unavailable", "The database is unavailable; retry shortly.", { headers: { "retry-after": "2" } });
  }
  return null;
}
