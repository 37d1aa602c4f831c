import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchApp, repoRoot, type RunningApp } from "../lib/launch-app.ts";
import { launchWorker, type RunningWorker } from "../lib/launch-worker.ts";
import { killNow } from "../lib/processes.ts";
import { waitFor } from "../lib/wait.ts";

/**
 * N production app instances (`scripts/start.ts`, ARBITER_WORKER=off) and M `npm run worker`
 * processes on one PostgreSQL database, behind HAProxy configured by docs/deploy/haproxy.cfg —
 * the file docs/DEPLOY.md documents — of which only the `bind` port and the `server` lines are
 * rewritten for these instances. Used by `npm run test:cluster` and `npm run bench:cluster`.
 */

export const haproxyConfigPath = join(repoRoot, "docs/deploy/haproxy.cfg");

/** HAProxy on PATH, installed from Debian's packages when missing (needs root and apt). */
export function ensureHaproxy(): string {
  const find = () => {
    try {
      return execFileSync("sh", ["-c", "command -v haproxy"], { encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  let path = find();
  if (path) return path;
  if (process.getuid?.() !== 0) throw new Error("HAProxy is not installed and this is not root: `apt-get install -y haproxy` first.");
  console.log("[cluster] installing HAProxy from Debian's packages (apt-get update && apt-get install -y haproxy)");
  execFileSync("apt-get", ["update"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "haproxy"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  path = find();
  if (!path) throw new Error("apt-get installed haproxy but it is not on PATH");
  return path;
}

/**
 * docs/deploy/haproxy.cfg for these backends: `bind` on 127.0.0.1:bindPort, one `server` line per
 * backend in place of the documented ones (same options), everything else as documented; plus a
 * stats listener (for counting each instance's requests), which does not touch the balancing.
 */
export function balancerConfig(
  backends: Array<{ name: string; port: number }>,
  bindPort: number,
  statsPort: number,
  source = readFileSync(haproxyConfigPath, "utf8"),
): string {
  const lines = source.split("\n");
  const out: string[] = [];
  let serversWritten = false;
  let binds = 0;
  for (const line of lines) {
    const bind = /^(\s*)bind\s+\S+(.*)$/.exec(line);
    if (bind) {
      out.push(`${bind[1]}bind 127.0.0.1:${bindPort}${bind[2]}`);
      binds++;
      continue;
    }
    const server = /^(\s*)server\s+\S+\s+\S+(.*)$/.exec(line);
    if (server) {
      if (!serversWritten) for (const b of backends) out.push(`${server[1]}server ${b.name} 127.0.0.1:${b.port}${server[2]}`);
      serversWritten = true;
      continue;
    }
    out.push(line);
  }
  if (binds !== 1 || !serversWritten) throw new Error(`${haproxyConfigPath}: expected one bind line and server lines to rewrite`);
  out.push("listen stats", `    bind 127.0.0.1:${statsPort}`, "    stats enable", "    stats uri /stats", "");
  return out.join("\n");
}

export interface ServerStats {
  /** UP, DOWN, … as HAProxy sees the instance now. */
  status: string;
  /** Sessions (= requests, with http-server-close) sent to it so far. */
  sessions: number;
}

export interface Balancer {
  url: string;
  statsUrl: string;
  configText: string;
  child: ChildProcess;
  log(): string;
  stats(): Promise<Record<string, ServerStats>>;
  stop(): Promise<void>;
}

/** Starts HAProxy in the foreground on `config` and waits until it answers. */
export async function startBalancer(options: { config: string; bindPort: number; statsPort: number }): Promise<Balancer> {
  const haproxy = ensureHaproxy();
  const dir = mkdtempSync(join(tmpdir(), "arbiter-haproxy-"));
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, options.config);
  execFileSync(haproxy, ["-c", "-q", "-f", file], { stdio: "inherit" });
  const child = spawn(haproxy, ["-db", "-f", file], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const statsUrl = `http://127.0.0.1:${options.statsPort}/stats`;
  const balancer: Balancer = {
    url: `http://127.0.0.1:${options.bindPort}`,
    statsUrl,
    configText: options.config,
    child,
    log: () => log,
    async stats() {
      const csv = await (await fetch(`${statsUrl};csv`, { signal: AbortSignal.timeout(5000) })).text();
      const [header, ...rows] = csv.trim().split("\n");
      const columns = header!.replace(/^# /, "").split(",");
      const at = (name: string) => columns.indexOf(name);
      const out: Record<string, ServerStats> = {};
      for (const row of rows) {
        const cells = row.split(",");
        if (cells[at("pxname")] !== "apps" || ["FRONTEND", "BACKEND"].includes(cells[at("svname")]!)) continue;
        out[cells[at("svname")]!] = { status: cells[at("status")]!, sessions: Number(cells[at("stot")]) };
      }
      return out;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.pid && killNow(child.pid), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${log}`);
      return fetch(statsUrl, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.ok)
        .catch(() => false);
    },
    20_000,
    "HAProxy to answer",
  );
  return balancer;
}

export interface ClusterOptions {
  databaseUrl: string;
  instances: number;
  workers: number;
  /** Instance i listens on firstAppPort + i. */
  firstAppPort: number;
  balancerPort: number;
  statsPort: number;
  rateLimit: "on" | "off";
  adminEmail: string;
  adminPassword: string;
  /** For apps and workers alike. */
  env?: Record<string, string>;
  workerEnv?: Record<string, string>;
}

export interface Cluster {
  balancer: Balancer;
  /** undefined while instance i is down. */
  apps: Array<RunningApp | undefined>;
  workers: Array<RunningWorker | undefined>;
  appUrl(i: number): string;
  /** Every instance's "unexpected error" log entries so far (kept across kills). */
  unexpectedErrors(): string[];
  killApp(i: number): Promise<void>;
  startApp(i: number): Promise<RunningApp>;
  killWorker(i: number): Promise<void>;
  startWorker(i: number): Promise<RunningWorker>;
  /** Waits until HAProxy sees every instance UP. */
  allUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const balancerUrl = `http://127.0.0.1:${options.balancerPort}`;
  const shared = {
    // One key everywhere: sessions signed by one instance are valid on all (docs/DEPLOY.md).
    ARBITER_TRUSTED_PROXIES: "127.0.0.1, ::1",
    ARBITER_DB_POOL_MAX: "10",
    ...options.env,
  };
  const dataDirs = Array.from({ length: options.instances }, () => mkdtempSync(join(tmpdir(), "arbiter-cluster-")));
  const apps: Array<RunningApp | undefined> = new Array(options.instances).fill(undefined);
  const workers: Array<RunningWorker | undefined> = new Array(options.workers).fill(undefined);
  const errors: string[] = [];
  let balancer: Balancer | undefined;
  const startApp = async (i: number) => {
    const app = await launchApp({
      database: { url: options.databaseUrl, drop: async () => undefined },
      port: options.firstAppPort + i,
      dataDir: dataDirs[i],
      rateLimit: options.rateLimit,
      adminEmail: options.adminEmail,
      adminPassword: options.adminPassword,
      env: { ARBITER_WORKER: "off", ARBITER_SHUTDOWN_DELAY_MS: "2000", ARBITER_BASE_URL: balancerUrl, ...shared },
    });
    apps[i] = app;
    return app;
  };
  const startWorker = async (i: number) => {
    const worker = await launchWorker({ databaseUrl: options.databaseUrl, env: { ...shared, ...options.workerEnv } });
    workers[i] = worker;
    return worker;
  };
  const cluster: Cluster = {
    get balancer() {
      if (!balancer) throw new Error("no balancer yet");
      return balancer;
    },
    apps,
    workers,
    appUrl: (i) => `http://127.0.0.1:${options.firstAppPort + i}`,
    unexpectedErrors: () => [...errors, ...apps.flatMap((a) => a?.unexpectedErrors() ?? [])],
    async killApp(i) {
      const app = apps[i];
      if (!app) return;
      errors.push(...app.unexpectedErrors());
      apps[i] = undefined;
      await app.kill9();
    },
    startApp,
    async killWorker(i) {
      const worker = workers[i];
      workers[i] = undefined;
      await worker?.kill9();
    },
    startWorker,
    async allUp(timeoutMs = 30_000) {
      await waitFor(
        async () => {
          const stats = await cluster.balancer.stats();
          return Object.keys(stats).length === options.instances && Object.values(stats).every((s) => s.status === "UP");
        },
        timeoutMs,
        "HAProxy to see every instance UP",
        250,
      );
    },
    async stop() {
      await Promise.all([...apps.map((a) => a?.stop({ keepData: true })), ...workers.map((w) => w?.stop())].map((p) => p?.catch(() => undefined)));
      await balancer?.stop().catch(() => undefined);
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // The first instance applies the migrations and creates the admin; the others find both done.
    await startApp(0);
    await Promise.all(Array.from({ length: options.instances - 1 }, (_, i) => startApp(i + 1)));
    await Promise.all(Array.from({ length: options.workers }, (_, i) => startWorker(i)));
    const backends = Array.from({ length: options.instances }, (_, i) => ({ name: `app${i + 1}`, port: options.firstAppPort + i }));
    balancer = await startBalancer({
      config: balancerConfig(backends, options.balancerPort, options.statsPort),
      bindPort: options.balancerPort,
      statsPort: options.statsPort,
    });
    await cluster.allUp();
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
