import type { TestProject } from "vitest/node";
import type {} from "vitest";
import pg from "pg";
import { applyMigrations } from "../src/migrate.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../src/embedded.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    embeddedDb: boolean;
  }
}

let embedded: EmbeddedPostgres | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

/**
 * Integration tests run against a real Postgres: a fresh database on the server named by
 * DATABASE_URL (dropped afterwards), or, without DATABASE_URL, an in-memory embedded PGlite.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  let url: string;
  if (serverUrl) {
    const name = `arbiter_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const target = new URL(serverUrl);
    target.pathname = `/${name}`;
    url = target.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
    process.env.ARBITER_EMBEDDED_DB = "0";
  } else {
    embedded = await startEmbeddedPostgres();
    url = embedded.url;
    process.env.ARBITER_EMBEDDED_DB = "1";
  }
  await applyMigrations({ connectionString: url });
  process.env.DATABASE_URL = url;
  project.provide("databaseUrl", url);
  project.provide("embeddedDb", !serverUrl);

  return async () => {
    await dropDatabase?.();
    await embedded?.stop();
  };
}
