import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { getConfig } from "@arbiter/config";
import { Prisma } from "./generated/client.ts";
import { getPool } from "./client.ts";

/**
 * Raw SQL on the shared pool, for the few paths hot enough that Prisma's per-query cost shows
 * (handing out tasks and storing judgments: measured ≈ 3–4× the CPU of the same statement
 * through `pg`, BENCHMARKS.md). Queries are written with `Prisma.sql` tagged templates, so the
 * same helper runs inside a Prisma transaction or a `pg` one: both satisfy `RawDb`.
 *
 * Values and results follow Prisma's conventions: Dates are sent as UTC (Prisma stores
 * `timestamp(3)` without time zone in UTC), `timestamp` columns come back as UTC Dates and
 * `bigint` columns as BigInt.
 */
export interface RawDb {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
}

const TIMESTAMP = 1114;
const INT8 = 20;
const typeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    if (oid === INT8) return (value: string) => BigInt(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function toSql(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  return query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
}

function toParam(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toParam);
  return value;
}

type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

/**
 * Statements are prepared once per connection under a name derived from their text, so
 * Postgres parses and plans the hot queries once instead of on every call (the candidate
 * query's planning alone measured 0.6–1.2 ms). Not on the embedded database: PGlite is one
 * session that outlives the socket connections made to it, so a name prepared by an earlier
 * connection would collide with the next connection's.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `arb_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    if (statementNames.size > 5_000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

async function run(client: Queryable, sql: Prisma.Sql): Promise<pg.QueryResult> {
  const name = getConfig().ARBITER_EMBEDDED_DB === "1" ? undefined : statementName(sql.text);
  return client.query({ name, text: sql.text, values: sql.values.map(toParam), types: typeParsers });
}

function rawDbOver(client: Queryable): RawDb {
  return {
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await run(client, toSql(query, values))).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await run(client, toSql(query, values))).rowCount ?? 0;
    },
  };
}

/**
 * A `pg` transaction's handle: RawDb plus `COPY … FROM STDIN` on the same connection, for bulk
 * writes (imports). `canCopy` is false on the embedded database: PGlite's socket server does not
 * speak the COPY-in sub-protocol (the connection dies with "protocol synchronization was lost"),
 * so callers write the same rows with one multi-row statement there instead.
 */
export interface RawTx extends RawDb {
  readonly canCopy: boolean;
  /**
   * Runs `statement` (a trusted literal `COPY table (columns) FROM STDIN`, no values in it) and
   * streams `data` (COPY text format) into it; resolves to the rows copied.
   */
  copyFrom(statement: string, data: Iterable<string> | AsyncIterable<string>): Promise<number>;
}

function rawTxOver(client: pg.PoolClient): RawTx {
  const canCopy = getConfig().ARBITER_EMBEDDED_DB !== "1";
  return {
    ...rawDbOver(client),
    canCopy,
    async copyFrom(statement, data) {
      if (!canCopy) throw new Error("COPY FROM STDIN is not available on the embedded database");
      const stream = client.query(copyFrom(statement));
      await pipeline(Readable.from(data, { objectMode: false }), stream);
      return stream.rowCount ?? 0;
    },
  };
}

/** Single statements outside a transaction, on the shared pool. */
export function getRawDb(): RawDb {
  return rawDbOver(getPool());
}

/**
 * Runs `work` in one `pg` transaction on a pooled connection: committed when it resolves,
 * rolled back when it throws. Inside, use only the given `tx` — asking the pool for a second
 * connection would wait forever on the embedded database, which has exactly one.
 *
 * `prelude` is a statement sent together with BEGIN in the same round trip (a lock, say); it
 * must be a literal built from trusted values only, since it cannot carry parameters. Its rows
 * are handed to `work`.
 */
export async function rawTransaction<T>(
  work: (tx: RawTx, prelude: Array<Record<string, unknown>>) => Promise<T>,
  options: { prelude?: string } = {},
): Promise<T> {
  const client = await getPool().connect();
  let broken: unknown;
  try {
    const begun = await client.query<Record<string, unknown>>(options.prelude ? `BEGIN; ${options.prelude}` : "BEGIN");
    const results = Array.isArray(begun) ? (begun as pg.QueryResult<Record<string, unknown>>[]) : [begun];
    const result = await work(rawTxOver(client), results[results.length - 1]?.rows ?? []);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError));
    throw error;
  } finally {
    // A connection whose rollback failed is in an unknown state: the pool drops it.
    client.release(broken instanceof Error ? broken : undefined);
  }
}

/** A 64-bit advisory-lock key for a string, as a SQL literal (safe to inline: digits only). */
export function advisoryLockKey(text: string): string {
  return createHash("sha256").update(text).digest().readBigInt64BE(0).toString();
}
