import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { getConfig, resetConfigCache } from "@arbiter/config";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@arbiter/db/embedded";
import { applyMigrations } from "@arbiter/db/migrate";
import { disconnectPrisma } from "@arbiter/db";
import { demoAccountsThatSignIn, ensureAdmin, seedDemo } from "@arbiter/core";

/**
 * Starts Arbiter: the embedded Postgres when DATABASE_URL is unset (data in ARBITER_DATA_DIR),
 * migrations, the first admin and the demo, then the production Next.js server (scripts/web-server.ts).
 */
async function main() {
  const config = getConfig();
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = join(resolve(config.ARBITER_DATA_DIR), "pgdata");
    const started = Date.now();
    embedded = await startEmbeddedPostgres({ dataDir });
    databaseUrl = embedded.url;
    console.log(`[arbiter] embedded Postgres (PGlite) ready in ${Date.now() - started} ms, data in ${dataDir}`);
  }
  process.env.DATABASE_URL = databaseUrl;
  process.env.ARBITER_EMBEDDED_DB = embedded ? "1" : "0";
  resetConfigCache();

  const migrations = await applyMigrations({ connectionString: databaseUrl });
  console.log(`[arbiter] migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied} already in place`);

  const admin = await ensureAdmin({ email: config.ARBITER_ADMIN_EMAIL, password: config.ARBITER_ADMIN_PASSWORD });
  if (admin === "created") console.log(`[arbiter] created admin ${config.ARBITER_ADMIN_EMAIL}`);
  const wantDemo = config.ARBITER_DEMO === "on" || (config.ARBITER_DEMO === "auto" && embedded);
  if (wantDemo) {
    // The admin just created does not make this database "used": the demo still comes on a first start.
    const { seeded } = await seedDemo({ firstAdminEmail: config.ARBITER_ADMIN_EMAIL });
    if (seeded) console.log("[arbiter] demo data created");
    // Only accounts that exist and still have their demo password: the listing never promises a sign-in that fails.
    const accounts = await demoAccountsThatSignIn();
    if (accounts.length > 0) {
      console.log("[arbiter] demo accounts (email / password):");
      for (const a of accounts) console.log(`           ${a.role.padEnd(10)} ${a.email} / ${a.password}`);
    } else if (!seeded) {
      console.log("[arbiter] demo skipped: this database already holds users or campaigns");
    }
  }
  await disconnectPrisma();

  // Next.js's own handler behind our HTTP server (scripts/web-server.ts), which knows each
  // connection's peer address for the rate limits; run in apps/web as `next start` would be.
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  // Diagnostics: ARBITER_CPU_PROFILE_DIR=<dir> has every web process write a V8 CPU profile there when it stops.
  const profile = config.ARBITER_CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${resolve(config.ARBITER_CPU_PROFILE_DIR)}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", tsx, resolve("scripts/web-server.ts")], {
    cwd: resolve("apps/web"),
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  console.log(`[arbiter] serving on http://localhost:${config.PORT}`);

  let stopping = false;
  const childExited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // The web server drains on SIGTERM (requests in flight, its job worker): the database stays up until it has exited.
    child.kill("SIGTERM");
    const limit = config.ARBITER_SHUTDOWN_DELAY_MS + config.ARBITER_SHUTDOWN_GRACE_MS + 15_000;
    await Promise.race([childExited, new Promise((resolve) => setTimeout(resolve, limit).unref())]);
    await embedded?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 1));
}

main().catch((error) => {
  console.error(`[arbiter] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
