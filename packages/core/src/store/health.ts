import { getPrisma } from "@arbiter/db";

/** One round trip to the database: resolves when it answers, rejects when it cannot be reached. */
export async function pingDatabase(): Promise<void> {
  await getPrisma().$queryRaw`SELECT 1`;
}
