import { z } from "zod";

export const errorCodes = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
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

/** Prisma's well-known failures, translated in one place. */
export function translateDatabaseError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "P2002") return new AppError("conflict", "A record with the same unique value already exists.");
  if (code === "P2025") return new AppError("not_found", "Record not found.");
  if (code === "P2003") return new AppError("unprocessable", "A referenced record does not exist.");
  if (code === "P1001" || code === "ECONNREFUSED" || code === "57P01" || code === "57P03") {
    return new AppError("unavailable", "The database is unavailable; retry shortly.", { headers: { "retry-after": "2" } });
  }
  return null;
}
