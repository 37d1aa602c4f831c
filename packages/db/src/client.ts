import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { getConfig } from "@arbiter/config";
import { PrismaClient } from "./generated/client.ts";

const globalForPrisma = globalThis as unknown as { arbiterPrisma?: PrismaClient; arbiterPool?: pg.Pool };

/** Pool size: the embedded PGlite serves one session at a time, so it gets exactly one connection. */
function poolSize(): number {
  const config = getConfig();
  if (config.ARBITER_EMBEDDED_DB === "1") return 1;
  return config.ARBITER_DB_POOL_MAX ?? 10;
}

export function createPool(connectionString: string, max = poolSize()): pg.Pool {
  return new pg.Pool({ connectionString, max, connectionTimeoutMillis: 10_000, ...sessionOptions(connectionString) });
}

/**
 * JIT off for the app's sessions: its queries are short, and Postgres compiles any whose
 * estimated cost passes jit_above_cost — on a 20,000-item campaign the next-task query paid
 * ~12 ms of compiling and ran 4× slower (219 ms vs 52 ms). Options in the URL win; the
 * embedded database has no JIT and is left alone.
 */
function sessionOptions(connectionString: string): { options?: string } {
  if (getConfig().ARBITER_EMBEDDED_DB === "1") return {};
  try {
    if (new URL(connectionString).searchParams.has("options")) return {};
  } catch {
    // Not a URL (a libpq key=value string): pg parses it; add nothing.
    return {};
  }
  return { options: "-c jit=off" };
}

/**
 * A Prisma client over the given pool (its own when none is given). Sharing one pool between
 * Prisma and the raw-SQL hot paths keeps the embedded database's single connection single.
 */
export function createPrismaClient(connectionString: string, max = poolSize(), pool = createPool(connectionString, max)): PrismaClient {
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // Under load, transactions queue for a pooled connection (the embedded database has only one);
  // Prisma's default 2 s wait turned that queue into errors, so wait as long as pg's connect timeout.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 15_000 } });
}

function ensureClient(): { prisma: PrismaClient; pool: pg.Pool } {
  if (!globalForPrisma.arbiterPrisma || !globalForPrisma.arbiterPool) {
    const url = getConfig().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Arbiter through `npm start`, which provides the embedded database.");
    const pool = createPool(url);
    globalForPrisma.arbiterPool = pool;
    globalForPrisma.arbiterPrisma = createPrismaClient(url, undefined, pool);
  }
  return { prisma: globalForPrisma.arbiterPrisma, pool: globalForPrisma.arbiterPool };
}

/** The process-wide client. Only this package creates Prisma clients. */
export function getPrisma(): PrismaClient {
  return ensureClient().prisma;
}

/** The pool under the process-wide client, for the raw-SQL hot paths (see sql.ts). */
export function getPool(): pg.Pool {
  return ensureClient().pool;
}

export async function disconnectPrisma(): Promise<void> {
  // The adapter owns the shared pool (disposeExternalPool) and ends it on disconnect.
  const pool = globalForPrisma.arbiterPool;
  await globalForPrisma.arbiterPrisma?.$disconnect();
  // ...but only when Prisma itself ever connected; a pool used only by raw SQL is ended here.
  if (pool && !pool.ending) await pool.end();
  globalForPrisma.arbiterPrisma = undefined;
  globalForPrisma.arbiterPool = undefined;
}
