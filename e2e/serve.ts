import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createThrowawayDatabase } from "@arbiter/db/testing";

// Starts the production build for the e2e run on a database of its own: a fresh database on
// DATABASE_URL's server (dropped afterwards), or a fresh embedded data folder.
const port = process.env.E2E_PORT ?? "3210";
const serverUrl = process.env.DATABASE_URL;
const dataDir = mkdtempSync(join(tmpdir(), "arbiter-e2e-"));
const database = serverUrl ? await createThrowawayDatabase({ serverUrl, prefix: "arbiter_e2e", localOnly: true }) : undefined;

const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: port,
  ARBITER_DATA_DIR: dataDir,
  ARBITER_DEMO: "on",
  ARBITER_RATE_LIMIT: "off",
  ARBITER_BASE_URL: `http://127.0.0.1:${port}`,
};
// e2e/routing.spec.ts runs its judge on a test server on 127.0.0.1, which the app reaches only when listed.
env.ARBITER_ALLOWED_HOSTS ??= "127.0.0.1";
// Pretrained reward models for e2e/hints.spec.ts, which writes its test model there.
env.ARBITER_REWARD_MODELS_DIR ??= join(tmpdir(), "arbiter-e2e-reward-models");
if (database) env.DATABASE_URL = database.url;
else delete env.DATABASE_URL;

const child = spawn("npx", ["tsx", "scripts/start.ts"], { stdio: "inherit", env });
const cleanup = async () => {
  await database?.drop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", async (code) => {
  await cleanup();
  process.exit(code ?? 0);
});
