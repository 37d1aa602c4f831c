import type { TestProject } from "vitest/node";
import type {} from "vitest";
import { createThrowawayDatabase } from "../src/testing/throwaway-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    embeddedDb: boolean;
  }
}

/**
 * Integration tests run against a real Postgres: a fresh database on the server named by
 * DATABASE_URL (dropped afterwards), or, without DATABASE_URL, an in-memory embedded PGlite.
 */
export default async function setup(project: TestProject) {
  const database = await createThrowawayDatabase({ serverUrl: process.env.DATABASE_URL || undefined, prefix: "arbiter_test", migrate: true });
  process.env.ARBITER_EMBEDDED_DB = database.embedded ? "1" : "0";
  process.env.DATABASE_URL = database.url;
  project.provide("databaseUrl", database.url);
  project.provide("embeddedDb", database.embedded);
  return () => database.drop();
}
