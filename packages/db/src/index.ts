export { createPrismaClient, getPrisma, disconnectPrisma } from "./client.ts";
export * from "./generated/client.ts";
