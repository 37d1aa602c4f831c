/**
 * What kind of database failure an error is, wherever it came from: a Prisma model call
 * (PrismaClientKnownRequestError, `P2002` and friends), a Prisma raw query (`P2010`, the
 * SQLSTATE in `meta.driverAdapterError.cause.originalCode`), or `pg` itself (a DatabaseError
 * with `.code`, as raw SQL on the pool throws it). PostgreSQL's `23505` and Prisma's `P2002`
 * are one case here, so no caller has to know which layer ran its statement.
 *
 * Pure: reads the error's fields only (no `pg` or Prisma import), so anything may use it.
 */

export type DatabaseErrorKind =
  /** A unique constraint refused the row (`23505`, Prisma `P2002`). */
  | "unique"
  /** A foreign key names a row that does not exist (`23503`, Prisma `P2003`). */
  | "foreign_key"
  /** Prisma found no record to update or delete (`P2025`). */
  | "not_found"
  /** A value the client sent that the database cannot store (see BAD_VALUE_STATES). */
  | "bad_value"
  /** A deadlock or serialization failure: the transaction may simply run again. */
  | "retry"
  /** The database is down, restarting or unreachable: not the request's fault. */
  | "unavailable";

export interface DatabaseErrorClass {
  kind: DatabaseErrorKind;
  /** The PostgreSQL SQLSTATE, when the error carries one. */
  sqlState?: string;
  /** Prisma's error code (`P2002`, `P2010`, …), when Prisma threw it. */
  prismaCode?: string;
  /** The constraint or index that refused the row (`users_email_key`), when known. */
  constraint?: string;
  /** The columns of that constraint, when Prisma names them instead of the index. */
  target?: string[];
  /** The table, when known. */
  table?: string;
  /** For `bad_value`: what is wrong with the value, in words a client can act on. */
  reason?: string;
}

/** Postgres SQLSTATEs a client's value causes: text it cannot store, a value out of range or too long, JSON it cannot parse or nest. */
const BAD_VALUE_STATES: Readonly<Record<string, string>> = {
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
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET"]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|Client has encountered a connection error|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Unable to start a transaction in the given time|Server has closed the connection|Can't reach database server/i;

const SQLSTATE = /^[0-9A-Z]{5}$/;
const PRISMA_CODE = /^P[1-9]\d{3}$/;

interface Cause {
  originalCode?: unknown;
  kind?: unknown;
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
  table?: unknown;
}
interface ErrorLike {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
  table?: unknown;
  meta?: { code?: unknown; target?: unknown; driverAdapterError?: { cause?: Cause } };
  cause?: Cause;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** The constraint Prisma's driver adapter names (`{ index }` or `{ fields }`), or pg's `.constraint`. */
function constraintOf(error: ErrorLike, adapter: Cause | undefined): { constraint?: string; target?: string[] } {
  const named = adapter?.constraint as { index?: unknown; fields?: unknown } | string | undefined;
  const constraint = text(typeof named === "object" && named !== null ? named.index : named) ?? text(error.constraint);
  const fields =
    typeof named === "object" && named !== null && Array.isArray(named.fields)
      ? named.fields
      : Array.isArray(error.meta?.target)
        ? error.meta.target
        : undefined;
  const target = fields?.filter((f): f is string => typeof f === "string");
  return { ...(constraint ? { constraint } : {}), ...(target?.length ? { target } : {}) };
}

/** Classifies a database error; null for anything that is not one this module knows (a bug, a 500). */
export function classifyDatabaseError(error: unknown): DatabaseErrorClass | null {
  if (error === null || typeof error !== "object") return null;
  const e = error as ErrorLike;
  const adapter = e.meta?.driverAdapterError?.cause ?? e.cause;
  const code = text(e.code);
  const prismaCode = code && PRISMA_CODE.test(code) ? code : undefined;
  // The SQLSTATE, wherever Prisma (or pg) put it.
  const sqlState = [adapter?.originalCode, e.meta?.code, e.cause?.code, e.code].find(
    (c): c is string => typeof c === "string" && SQLSTATE.test(c) && !PRISMA_CODE.test(c),
  );
  const kind = text(adapter?.kind);
  const table = text(adapter?.table) ?? text(e.table);
  const base = { ...(sqlState ? { sqlState } : {}), ...(prismaCode ? { prismaCode } : {}) };
  const at = { ...constraintOf(e, adapter), ...(table ? { table } : {}) };

  if (prismaCode === "P2002" || sqlState === "23505" || kind === "UniqueConstraintViolation") return { kind: "unique", ...base, ...at };
  if (prismaCode === "P2025") return { kind: "not_found", ...base };
  if (prismaCode === "P2003" || sqlState === "23503" || kind === "ForeignKeyConstraintViolation") return { kind: "foreign_key", ...base, ...at };
  if (sqlState && BAD_VALUE_STATES[sqlState]) return { kind: "bad_value", ...base, reason: BAD_VALUE_STATES[sqlState] };
  if (prismaCode === "P2034" || (sqlState && RETRY_STATES.has(sqlState)) || kind === "TransactionWriteConflict") return { kind: "retry", ...base };
  const message = [e.message, e.cause?.message].filter((m): m is string => typeof m === "string").join(" ");
  if (
    (prismaCode && UNAVAILABLE_PRISMA.has(prismaCode)) ||
    (code && UNAVAILABLE_CODES.has(code)) ||
    (sqlState && UNAVAILABLE_STATES.has(sqlState)) ||
    (kind && UNAVAILABLE_KINDS.has(kind)) ||
    UNAVAILABLE_MESSAGES.test(message)
  ) {
    return { kind: "unavailable", ...base };
  }
  return null;
}
