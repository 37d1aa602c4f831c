/** `@arbiter/db/testing`: databases for tests, benchmarks and scripts (Node). */
export { createThrowawayDatabase, type CreateThrowawayDatabaseOptions, type ThrowawayDatabase } from "./throwaway-database.ts";
