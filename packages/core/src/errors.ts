import { z } from "zod";
import { classifyDatabaseError } from "@arbiter/db";

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

/** Database failures a client should see, translated in one place (the classes: @arbiter/db's classifyDatabaseError). */
export function translateDatabaseError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const found = classifyDatabaseError(error);
  switch (found?.kind) {
    case "unique":
      return new AppError("conflict", "A record with the same unique value already exists.");
    case "not_found":
      return new AppError("not_found", "Record not found.");
    case "foreign_key":
      return new AppError("unprocessable", "A referenced record does not exist.");
    case "bad_value":
      return new AppError("unprocessable", found.reason ?? "A value is not valid for its field.");
    case "retry":
      return new AppError("unavailable", "A concurrent change got in the way; retry.", { headers: { "retry-after": "1" } });
    case "unavailable":
      return new AppError("unavailable", "The database is unavailable; retry shortly.", { headers: { "retry-after": "2" } });
    default:
      return null;
  }
}

/**
 * For use cases that expect a duplicate: whether `error` is a unique violation (PostgreSQL 23505
 * through pg, Prisma P2002 from a model call or P2010 from a raw query), optionally of one
 * constraint, named as in the migrations (`users_email_key`).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const found = classifyDatabaseError(error);
  return found?.kind === "unique" && (constraint === undefined || found.constraint === constraint);
}
