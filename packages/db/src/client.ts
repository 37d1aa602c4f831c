import { PrismaPg } from "@prisma/adapter-pg";
import { getConfig } from "@arbiter/config";
import { PrismaClient } from "./generated/client.ts";

const globalForPrisma = globalThis as unknown as { arbiterPrisma?: PrismaClient };

/** Pool size: the embedded PGlite serves one session at a time, so it gets exactly one connection. */
function poolSize(): number {
  const config = getConfig();
  if (config.ARBITER_EMBEDDED_DB === "1") return 1;
  return config.ARBITER_DB_POOL_MAX ?? 10;
}

export function createPrismaClient(connectionString: string, max = poolSize()): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max, connectionTimeoutMillis: 10_000 });
  // Under load, transactions queue for a pooled connection (the embedded database has only one);
  // Prisma's default 2 s wait turned that queue into errors, so wait as long as pg's connect timeout.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 15_000 } });
}

/** The process-wide client. Only this package creates Prisma clients. */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.arbiterPrisma) {
    const url = getConfig().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Arbiter through `npm start`, which provides the embedded database.");
    globalForPrisma.arbiterPrisma = createPrismaClient(url);
  }
  return globalForPrisma.arbiterPrisma;
}

export async function disconnectPrisma(): Promise<void> {
  await globalForPrisma.arbiterPrisma?.$disconnect();
  globalForPrisma.arbiterPrisma = undefined;
}
