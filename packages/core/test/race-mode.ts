import { inject, it } from "vitest";

/**
 * Race tests need a PostgreSQL server. On the embedded PGlite the pool has one connection, so
 * "concurrent" requests run one after another and a missing row lock goes unnoticed (issue 22).
 * There the race tests do not shrink silently: each file says so loudly, the tests that only mean
 * something as races are skipped by name ("needs a PostgreSQL server"), so the summary counts them,
 * and with ARBITER_REQUIRE_RACES=1 (set it in CI) the file fails instead.
 */
export const embedded = inject("embeddedDb");
export const racesAreReal = !embedded;

export function announceRaces(what: string): void {
  if (racesAreReal) return;
  const message =
    `[races] ${what}: the embedded PGlite has ONE connection, so these requests run one after another and NO RACE IS TESTED. ` +
    "Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres for the real test.";
  if (process.env.ARBITER_REQUIRE_RACES === "1") throw new Error(`${message} (ARBITER_REQUIRE_RACES=1 refuses to run without it)`);
  console.warn(`\n${"!".repeat(100)}\n${message}\n${"!".repeat(100)}\n`);
}

/** A test that is only meaningful as a race: skipped on the embedded database, under a name that says why. */
export function raceIt(name: string, fn: () => Promise<void>, timeout?: number): void {
  if (racesAreReal) it(`${name} [race on a PostgreSQL server]`, fn, timeout);
  else it.skip(`${name} [needs a PostgreSQL server: skipped on the embedded database, not shrunk]`, fn);
}
