import { defineConfig } from "vitest/config";

// Two tiers: pure unit tests (colocated *.test.ts) and integration tests against a real
// Postgres (*.integration.test.ts, run one file at a time: they share one database).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/web/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
          environment: "node",
          // Generous: CI shares two cores; a time limit here guards against hangs, not slowness.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "integration",
          include: [
            "packages/*/src/**/*.integration.test.ts",
            "packages/*/test/**/*.integration.test.ts",
            "apps/web/**/*.integration.test.ts",
            "scripts/**/*.integration.test.ts",
          ],
          exclude: ["**/node_modules/**"],
          environment: "node",
          globalSetup: ["./packages/db/test/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
