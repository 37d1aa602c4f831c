export { createPool, createPrismaClient, getPool, getPrisma, disconnectPrisma } from "./client.ts";
export { advisoryLockKey, getRawDb, PLAN_EACH_CALL, rawTransaction, type RawDb } from "./sql.ts";
export * from "./generated/client.ts";
