export { createPool, createPrismaClient, getPool, getPrisma, disconnectPrisma } from "./client.ts";
export { advisoryLockKey, getRawDb, rawTransaction, type RawDb, type RawTx } from "./sql.ts";
export { consumeRateLimit, pruneRateLimits, type RateLimitCount } from "./rate-limits.ts";
export { classifyDatabaseError, type DatabaseErrorClass, type DatabaseErrorKind } from "./database-errors.ts";
export * from "./generated/client.ts";
