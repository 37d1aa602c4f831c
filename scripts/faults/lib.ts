import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freshDatabase } from "../bench/lib.ts";

/**
 * Shared by the security integration test, `npm run bench:load` and the fault scripts: the
 * production build started the way `scripts/bench/lib.ts` `startApp` does (`scripts/start.ts`
 * on a database of its own), plus what those need on top — the embedded database when there
 * is no server, a stable data folder across restarts, and `kill -9` of the whole process tree.
 */

export const repoRoot = resolve(import.meta.dirname, "../..");

export function buildExists(): boolean {
  return existsSync(join(repoRoot, "apps/web/.next/BUILD_ID"));
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface AppDatabase {
  /** The database URL, or undefined for the embedded PGlite the app starts itself (data in the app's data folder). */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh database on the Postgres server (`scripts/bench/lib.ts` `freshDatabase`: the server
 * DATABASE_URL named when this module was loaded, local hosts only), or — `embedded: true` — the
 * embedded PGlite the app starts itself in its data folder.
 */
export async function appDatabase(options: { embedded: boolean; prefix: string }): Promise<AppDatabase> {
  if (options.embedded) return { url: undefined, drop: async () => undefined };
  const db = await freshDatabase(`${options.prefix}_${process.pid}`);
  return { url: db.url, drop: db.drop };
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
  delete env.ARBITER_EMBEDDED_DB;
  // Started from a test runner, the app must still run as in production: vitest's NODE_ENV=test
  // and TEST=true would, for one, switch libraries (better-auth) into test behaviour.
  for (const name of Object.keys(env)) if (name === "TEST" || name === "VITEST" || name.startsWith("VITEST_")) delete env[name];
  if (env.NODE_ENV === "test") delete env.NODE_ENV;
  // The launcher runs straight on node + tsx (no npx in between), so its pid is the app's root.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: env as NodeJS.ProcessEnv });
  let log = "";
  const append = (d: Buffer) => {
    log += d.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const pids = () => (child.pid ? [child.pid, ...descendants(child.pid)] : []);
  const app: RunningApp = {
    baseUrl,
    port,
    dataDir,
    child,
    log: () => log,
    unexpectedErrors: () => unexpectedErrors(log),
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
        const timer = setTimeout(() => all.forEach((pid) => alive(pid) && safeKill(pid)), 15_000);
        await exited;
        clearTimeout(timer);
        await waitFor(() => all.every((pid) => !alive(pid)), 15_000, "the app to stop").catch(() => all.forEach(safeKill));
      }
      if (!stopOptions.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + (options.healthTimeoutMs ?? 180_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early (${child.exitCode}):\n${log}`);
    const ok = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok).catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`app did not become healthy:\n${log}`);
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

function safeKill(pid: number) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; its /proc state says Z.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Child process ids of `pid`, recursively (from /proc; `ps` as a fallback). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        const list = children.get(ppid) ?? [];
        list.push(Number(entry));
        children.set(ppid, list);
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    const out = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" });
    for (const line of out.trim().split("\n")) {
      const [p, pp] = line.trim().split(/\s+/).map(Number) as [number, number];
      const list = children.get(pp) ?? [];
      list.push(p);
      children.set(pp, list);
    }
  }
  const out: number[] = [];
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    out.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  data: T;
  text: string;
}

export interface HttpInit {
  method?: string;
  token?: string;
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** One HTTP call; a JSON body is parsed when there is one, else `data` is the text (or null). */
export async function http<T = unknown>(baseUrl: string, path: string, init: HttpInit = {}): Promise<HttpResult<T>> {
  const isRaw = typeof init.body === "string" || init.body instanceof Uint8Array;
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body !== undefined && !isRaw ? { "content-type": "application/json" } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : isRaw ? (init.body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
    redirect: "manual",
  });
  const text = await response.text();
  let data: unknown = text === "" ? null : text;
  if (text && (response.headers.get("content-type") ?? "").includes("json")) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  return { status: response.status, headers: response.headers, data: data as T, text };
}

/** Throws with the answer when the status is not the one expected. */
export function expectStatus<T>(result: HttpResult<T>, status: number, what: string): T {
  if (result.status !== status) throw new Error(`${what}: expected ${status}, got ${result.status}: ${result.text.slice(0, 500)}`);
  return result.data;
}

export interface Fixture {
  baseUrl: string;
  adminToken: string;
  /** Extra headers for every setup call (e.g. a client address of its own for the rate limiters). */
  headers: Record<string, string>;
}

export async function tokenFor(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  return expectStatus(await http<{ token: string }>(baseUrl, "/api/v1/tokens", { body: { email, password }, headers }), 201, `token for ${email}`).token;
}

export async function createUser(f: Fixture, options: { email: string; role: "admin" | "researcher" | "annotator"; password: string; campaignId?: string }): Promise<{ id: string }> {
  return expectStatus(await http<{ id: string }>(f.baseUrl, "/api/v1/users", { token: f.adminToken, headers: f.headers, body: options }), 201, `create user ${options.email}`);
}

export async function createCampaign(f: Fixture, options: { name: string; taskType?: "pairwise" | "kwise" | "rationale"; status?: "draft" | "active"; config?: Record<string, unknown> }): Promise<{ id: string }> {
  return expectStatus(
    await http<{ id: string }>(f.baseUrl, "/api/v1/campaigns", { token: f.adminToken, headers: f.headers, body: { taskType: "pairwise", status: "active", config: { overlap: 3, goldRate: 0 }, ...options } }),
    201,
    `create campaign ${options.name}`,
  );
}

/** Imports `count` simple pairwise items (ids `${prefix}-${i}`, models m1 / m2). */
export async function importItems(f: Fixture, campaignId: string, count: number, prefix = "item"): Promise<number> {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ id: `${prefix}-${i}`, prompt: `Question ${i}: which answer is better?`, responses: [{ id: "a", content: `Answer one to ${i}.`, model: "m1" }, { id: "b", content: `Answer two to ${i}, a bit longer.`, model: "m2" }] }),
  ).join("\n");
  const result = await http<{ imported: number }>(f.baseUrl, `/api/v1/campaigns/${campaignId}/items?format=native`, { token: f.adminToken, headers: { ...f.headers, "content-type": "application/x-ndjson" }, body: lines });
  return expectStatus(result, 200, "import items").imported;
}

export async function addMember(f: Fixture, campaignId: string, userId: string): Promise<void> {
  expectStatus(await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/members`, { token: f.adminToken, headers: f.headers, body: { userId } }), 201, "add member");
}

export interface RawExportRow {
  id: string;
  itemId: string;
  source: string;
  annotator: string | null;
  judgeModel: string | null;
  verdict: string;
  createdAt: string;
}

/** The campaign's raw export (JSONL, one row per judgment). */
export async function rawExport(baseUrl: string, token: string, campaignId: string, source: "human" | "judge" | "all" = "all"): Promise<RawExportRow[]> {
  const result = await http<string>(baseUrl, `/api/v1/campaigns/${campaignId}/export?format=raw&source=${source}&file=jsonl`, { token, timeoutMs: 300_000 });
  if (result.status !== 200) throw new Error(`raw export: ${result.status} ${result.text.slice(0, 300)}`);
  return result.text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as RawExportRow);
}

/** Every judgment through the paged judgment browser (a second, independent read path). */
export async function pagedJudgments(baseUrl: string, token: string, campaignId: string): Promise<Array<{ id: string; itemId: string }>> {
  const out: Array<{ id: string; itemId: string }> = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100_000; page++) {
    const query: string = `limit=200&source=all${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const result: HttpResult<{ judgments: Array<{ id: string; itemId: string }>; nextCursor: string | null }> = await http(baseUrl, `/api/v1/campaigns/${campaignId}/judgments?${query}`, { token });
    const data = expectStatus(result, 200, "judgments page");
    out.push(...data.judgments);
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return out;
}

/**
 * Exactly-once: every acknowledged judgment id appears exactly once in `rows`, and nothing
 * appears that was never acknowledged (except ids listed in `maybe`: submissions whose answer
 * was lost to the fault, which may or may not have committed).
 */
export function checkExactlyOnce(acknowledged: Iterable<string>, rows: Array<{ id: string }>, maybe: Iterable<string> = []): { acknowledged: number; exported: number; missing: string[]; duplicated: string[]; unexpected: string[] } {
  const ack = new Set(acknowledged);
  const maybeSet = new Set(maybe);
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
  const missing = [...ack].filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const unexpected = [...counts.keys()].filter((id) => !ack.has(id) && !maybeSet.has(id));
  return { acknowledged: ack.size, exported: rows.length, missing, duplicated, unexpected };
}
