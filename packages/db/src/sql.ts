import pg from "pg";
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

async function run(client: Queryable, sql: Prisma.Sql): Promise<pg.QueryResult> {
  return client.query({ text: sql.text, values: sql.values.map(toParam), types: typeParsers });
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

/** Single statements outside a transaction, on the shared pool. */
export function getRawDb(): RawDb {
  return rawDbOver(getPool());
}

/**
 * Runs `work` in one `pg` transaction on a pooled connection: committed when it resolves,
 * rolled back when it throws. Inside, use only the given `tx` — asking the pool for a second
 * connection would wait forever on the embedded database, which has exactly one.
 */
export async function rawTransaction<T>(work: (tx: RawDb) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  let broken: unknown;
  try {
    await client.query("BEGIN");
    const result = await work(rawDbOver(client));
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
