import pg from "pg";
import { applyMigrations } from "../migrate.ts";

export interface ThrowawayDatabase {
  /** A postgres:// URL of the new, empty (or migrated) database. */
  readonly url: string;
  /** True when no server was named and this is an in-memory embedded PGlite. */
  readonly embedded: boolean;
  /** Drops the database (stops the embedded one); safe to call more than once. */
  drop(): Promise<void>;
}

export interface CreateThrowawayDatabaseOptions {
  /** The PostgreSQL server to create it on; undefined: an in-memory embedded PGlite instead. */
  readonly serverUrl: string | undefined;
  /** Start of the database's name (lower-case letters, digits, `_`); the process id and the time follow. */
  readonly prefix: string;
  /** Refuse a server on another machine: for benchmarks, e2e and fault scripts, which load and drop whole databases. */
  readonly localOnly?: boolean;
  /** Apply prisma/migrations before returning. */
  readonly migrate?: boolean;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const NAME_PREFIX = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * A database of its own for a test run, a benchmark or an app started by a test: a fresh
 * database on the server named by `serverUrl` (as that URL's user), or without one an
 * in-memory embedded PGlite. `drop()` removes it.
 */
export async function createThrowawayDatabase(options: CreateThrowawayDatabaseOptions): Promise<ThrowawayDatabase> {
  if (!NAME_PREFIX.test(options.prefix))
    throw new Error(`database name prefix "${options.prefix}": use 1–40 lower-case letters, digits and _, starting with a letter`);
  const database =
    options.serverUrl === undefined ? await startInMemory() : await createOnServer(options.serverUrl, options.prefix, options.localOnly ?? false);
  if (options.migrate) {
    try {
      await applyMigrations({ connectionString: database.url });
    } catch (error) {
      await database.drop();
      throw error;
    }
  }
  return database;
}

async function createOnServer(serverUrl: string, prefix: string, localOnly: boolean): Promise<ThrowawayDatabase> {
  const server = new URL(serverUrl);
  if (localOnly && !LOCAL_HOSTS.has(server.hostname))
    throw new Error(`refusing to create and drop databases on ${server.hostname}: only a server on this machine is allowed here`);
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    embedded: false,
    async drop() {
      if (dropped) return;
      dropped = true;
      await onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function startInMemory(): Promise<ThrowawayDatabase> {
  // Loaded only when needed: PGlite is large, and most callers name a server.
  const { startEmbeddedPostgres } = await import("../embedded.ts");
  const embedded = await startEmbeddedPostgres();
  let stopped = false;
  return {
    url: embedded.url,
    embedded: true,
    async drop() {
      if (stopped) return;
      stopped = true;
      await embedded.stop();
    },
  };
}

/** One statement (CREATE / DROP DATABASE cannot run in a transaction or take parameters) on its own connection. */
async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
