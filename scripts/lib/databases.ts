import { createThrowawayDatabase, type ThrowawayDatabase } from "@arbiter/db/testing";

/**
 * The PostgreSQL server the scripts make their databases on: DATABASE_URL's when this module
 * is loaded, else the local default. Only a server on this machine is accepted.
 */
export const databaseServerUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh database on that server for a benchmark or a fault script, dropped by `drop()`. */
export function scratchDatabase(prefix: string): Promise<ThrowawayDatabase> {
  return createThrowawayDatabase({ serverUrl: databaseServerUrl, prefix, localOnly: true });
}

export interface AppDatabase {
  /** The database URL, or undefined for the embedded PGlite the app starts itself (data in the app's data folder). */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * The database for an app a test launches: a scratch database on the server, or — `embedded:
 * true` — none, so the app starts the embedded PGlite in its own data folder.
 */
export async function appDatabase(options: { embedded: boolean; prefix: string }): Promise<AppDatabase> {
  if (options.embedded) return { url: undefined, drop: async () => undefined };
  return scratchDatabase(options.prefix);
}
