import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { AppDatabase } from "./databases.ts";
import { alive, descendants, freePort, killNow } from "./processes.ts";
import { sleep, waitFor } from "./wait.ts";

/**
 * The production build started as `npm start` would (`scripts/start.ts`, on a database of its
 * own), for the HTTP tests, the benchmarks and the fault scripts: the embedded database when
 * there is no server, a stable data folder across restarts, and `kill -9` of the whole process tree.
 */

export const repoRoot = resolve(import.meta.dirname, "../..");

export function buildExists(): boolean {
  return existsSync(join(repoRoot, "apps/web/.next/BUILD_ID"));
}

export interface AppOptions {
  database: AppDatabase;
  port?: number;
  /** Kept across restarts (the embedded database lives here); a temporary folder by default. */
  dataDir?: string;
  rateLimit?: "on" | "off";
  adminEmail?: string;
  adminPassword?: string;
  env?: Record<string, string>;
  /** The environment the app inherits (PATH etc.); the caller's process.env by default. */
  baseEnv?: NodeJS.ProcessEnv;
  healthTimeoutMs?: number;
}

export interface RunningApp {
  baseUrl: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  log(): string;
  /** The app's "unexpected error" reports (what became a 500), with a few lines of each. */
  unexpectedErrors(): string[];
  /** Every process of the app (launcher, Next.js server), by id. */
  pids(): number[];
  /** SIGKILL to every process of the app at once, as a crash or an OOM kill would. */
  kill9(): Promise<void>;
  /** SIGTERM and wait; removes the data folder when `keepData` is not set. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * A repository script on node + tsx (no npx in between, so its pid is the process tree's root),
 * run as in production even when started from a test runner: vitest's NODE_ENV=test and TEST=true
 * would, for one, switch libraries (better-auth) into test behaviour. Its output is kept (the last
 * 100–200 KB) for `log()`.
 */
export function spawnRepoScript(script: string, environment: Record<string, string | undefined>) {
  const env = { ...environment };
  delete env.ARBITER_EMBEDDED_DB;
  for (const name of Object.keys(env)) if (name === "TEST" || name === "VITEST" || name.startsWith("VITEST_")) delete env[name];
  if (env.NODE_ENV === "test") delete env.NODE_ENV;
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: env as NodeJS.ProcessEnv });
  let output = "";
  const append = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return { child, log: () => output, exited, pids: () => (child.pid ? [child.pid, ...descendants(child.pid)] : []) };
}

/** Starts the production build (`scripts/start.ts`) and waits until `/api/health` answers 200. */
export async function launchApp(options: AppOptions): Promise<RunningApp> {
  if (!buildExists()) throw new Error("No production build: run `npm run build` first (apps/web/.next/BUILD_ID is missing).");
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "arbiter-faults-"));
  const env: Record<string, string | undefined> = {
    ...(options.baseEnv ?? process.env),
    PORT: String(port),
    ARBITER_DATA_DIR: dataDir,
    ARBITER_DEMO: "off",
    ARBITER_RATE_LIMIT: options.rateLimit ?? "off",
    ARBITER_BASE_URL: `http://127.0.0.1:${port}`,
    ARBITER_ADMIN_EMAIL: options.adminEmail ?? "admin@faults.local",
    ARBITER_ADMIN_PASSWORD: options.adminPassword ?? "faults-admin-password",
    NEXT_TELEMETRY_DISABLED: "1",
    ...options.env,
  };
  if (options.database.url) env.DATABASE_URL = options.database.url;
  else delete env.DATABASE_URL;
  // The launcher runs straight on node + tsx (no npx in between), so its pid is the app's root.
  const { child, log, exited, pids } = spawnRepoScript("scripts/start.ts", env);
  const baseUrl = `http://127.0.0.1:${port}`;
  const app: RunningApp = {
    baseUrl,
    port,
    dataDir,
    child,
    log,
    unexpectedErrors: () => unexpectedErrors(log()),
    pids,
    async kill9() {
      const all = pids();
      for (const pid of all) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await exited;
      await waitFor(() => all.every((pid) => !alive(pid)), 10_000, "the killed processes to disappear");
    },
    async stop(stopOptions = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const all = pids();
        child.kill("SIGTERM");
        const timer = setTimeout(() => all.forEach((pid) => alive(pid) && killNow(pid)), 15_000);
        await exited;
        clearTimeout(timer);
        await waitFor(() => all.every((pid) => !alive(pid)), 15_000, "the app to stop").catch(() => all.forEach(killNow));
      }
      if (!stopOptions.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + (options.healthTimeoutMs ?? 180_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early (${child.exitCode}):\n${log()}`);
    const ok = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`app did not become healthy:\n${log()}`);
    }
    await sleep(300);
  }
  return app;
}

export function unexpectedErrors(log: string): string[] {
  const lines = log.split("\n");
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (line.includes("unexpected error")) out.push(lines.slice(i, i + 12).join("\n"));
  });
  return out;
}
