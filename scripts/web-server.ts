import type { Serializable } from "node:child_process";
import cluster, { type Worker } from "node:cluster";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import next from "next";
import { getConfig } from "@arbiter/config";
import { CLIENT_ADDRESS_HEADER, createClientAddressResolver, FORWARDED_HEADERS, markClientAddressStamped } from "@arbiter/core/client-address";

/**
 * The production web server: Next.js (`next start`'s own request handler) behind a plain Node
 * HTTP server that knows each connection's peer address, which route handlers never see.
 * Before Next.js gets a request, it sets `x-arbiter-client-address` (what rate limits key on)
 * and drops forwarded headers unless the peer is one of ARBITER_TRUSTED_PROXIES. Started by
 * `scripts/start.ts` in apps/web with NODE_ENV=production.
 *
 * With ARBITER_WEB_PROCESSES > 1 (the default on a database server: half the CPUs, at most 8) this
 * process is the cluster's primary: it forks that many servers sharing the port (the primary hands
 * connections out round-robin), relays live-battle events between them, restarts one that dies,
 * and on SIGTERM lets each drain as a single server would.
 */
async function main() {
  const processes = webProcessCount();
  if (processes > 1 && cluster.isPrimary) return runPrimary(processes);
  return runServer();
}

/**
 * ARBITER_WEB_PROCESSES resolved. "auto": 1 on the embedded database (one connection); else half
 * the CPUs, at most 8 — the other half is PostgreSQL's, which on a one-machine install runs beside
 * the app (BENCHMARKS.md, "Web processes", has the measurement behind this).
 */
function webProcessCount(): number {
  const config = getConfig();
  if (config.ARBITER_WEB_PROCESSES !== "auto") return config.ARBITER_WEB_PROCESSES;
  if (config.ARBITER_EMBEDDED_DB === "1") return 1;
  return Math.max(1, Math.min(8, Math.floor(availableParallelism() / 2)));
}

function runPrimary(processes: number) {
  const config = getConfig();
  if (config.ARBITER_EMBEDDED_DB === "1")
    console.warn("[arbiter] ARBITER_WEB_PROCESSES > 1 on the embedded database: its one connection is shared through a socket; expect no speed-up");
  cluster.setupPrimary({ serialization: "advanced" });
  let stopping = false;
  const fork = (index: number): Worker => {
    // The job worker runs in one process only: its sweeps and training need not run N times.
    const worker = cluster.fork({ ARBITER_WEB_PROCESS_INDEX: String(index), ...(index > 0 ? { ARBITER_WORKER: "off" } : {}) });
    worker.on("message", (message: Serializable) => {
      // Live-battle events: a battle is generated in the process that started it and read from any.
      if (!isBattleRelay(message)) return;
      for (const other of Object.values(cluster.workers ?? {})) if (other && other !== worker && other.isConnected()) other.send(message);
    });
    worker.on("exit", (code, signal) => {
      if (stopping) return;
      console.error(`[arbiter] web process ${index} exited (${signal ?? code}); starting another`);
      setTimeout(() => fork(index), 1000).unref();
    });
    return worker;
  };
  for (let index = 0; index < processes; index++) fork(index);
  console.log(`[arbiter] ${processes} web processes on port ${config.PORT}`);
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    const deadline = setTimeout(() => process.exit(0), config.ARBITER_SHUTDOWN_DELAY_MS + config.ARBITER_SHUTDOWN_GRACE_MS + 15_000);
    deadline.unref();
    const exitWhenAllGone = () => {
      if (Object.values(cluster.workers ?? {}).every((worker) => !worker || worker.isDead())) process.exit(0);
    };
    cluster.on("exit", exitWhenAllGone);
    exitWhenAllGone();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

function isBattleRelay(message: unknown): boolean {
  return typeof message === "object" && message !== null && (message as { arbiter?: unknown }).arbiter === "battle";
}

/** apps/web/lib/lean-routes.ts, as the app's instrumentation hook registers it. */
interface LeanRoutes {
  handle(request: IncomingMessage, response: ServerResponse): boolean;
}

async function runServer() {
  const config = getConfig();
  const addresses = createClientAddressResolver(config.trustedProxies);
  markClientAddressStamped();

  const stampClientAddress = (request: IncomingMessage) => {
    const peer = request.socket.remoteAddress;
    delete request.headers[CLIENT_ADDRESS_HEADER];
    const client = addresses.resolve(peer, request.headers["x-forwarded-for"]);
    // A client talking to us directly does not get to say who it is, or which host it called.
    if (!addresses.isTrusted(peer)) for (const header of FORWARDED_HEADERS) delete request.headers[header];
    if (client) request.headers[CLIENT_ADDRESS_HEADER] = client;
  };

  const server = createServer();
  const app = next({ dev: false, dir: resolve("."), hostname: "localhost", port: config.PORT, httpServer: server });
  const handle = app.getRequestHandler();
  await app.prepare();
  const shutdown = createGracefulShutdown(server, { delayMs: config.ARBITER_SHUTDOWN_DELAY_MS, graceMs: config.ARBITER_SHUTDOWN_GRACE_MS });
  // The annotation loop's hot routes without Next.js's request layers, registered by the app's
  // instrumentation hook (which Next.js runs when it handles its first request, not in prepare()).
  const appGlobals = globalThis as { arbiterLeanRoutes?: LeanRoutes };
  const leanRoutesOn = config.ARBITER_LEAN_ROUTES === "on";
  server.on("request", (request, response) => {
    if (shutdown.answerProbe(request, response)) return;
    shutdown.track(response);
    stampClientAddress(request);
    if (leanRoutesOn && appGlobals.arbiterLeanRoutes?.handle(request, response)) return;
    handle(request, response).catch((error: unknown) => {
      console.error("[arbiter] request failed", error);
      if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
    });
  });
  server.listen(config.PORT, () =>
    console.log(
      `[arbiter] web server${cluster.isWorker ? ` process ${process.env.ARBITER_WEB_PROCESS_INDEX}` : ""} ready on port ${config.PORT}${config.trustedProxies.length > 0 ? `, trusting forwarded headers from ${config.ARBITER_TRUSTED_PROXIES}` : ""}`,
    ),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(
      `[arbiter] ${signal}: draining (readiness 503 for ${config.ARBITER_SHUTDOWN_DELAY_MS} ms, then up to ${config.ARBITER_SHUTDOWN_GRACE_MS} ms for requests and jobs)`,
    );
    setTimeout(() => process.exit(0), config.ARBITER_SHUTDOWN_DELAY_MS + config.ARBITER_SHUTDOWN_GRACE_MS + 10_000).unref();
    void shutdown
      .drain(() => stopInProcessWorker(config.ARBITER_SHUTDOWN_GRACE_MS))
      .catch((error: unknown) => console.error("[arbiter] draining failed", error))
      .then(() => app.close())
      .finally(() => {
        console.log("[arbiter] stopped");
        process.exit(0);
      });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // A cluster process whose primary is gone (killed) drains and exits rather than serving on alone.
  if (cluster.isWorker) process.on("disconnect", () => stop("primary gone"));
}

/** The in-process job worker (ARBITER_WORKER=on) stops claiming, lets running jobs finish within the grace, and hands the rest back to the queue. */
async function stopInProcessWorker(graceMs: number): Promise<void> {
  // Loaded only now: the web server itself never needs core, and Next.js's bundle holds the worker (found through globalThis).
  const { stopWorkerInProcess } = await import("@arbiter/core");
  if (await stopWorkerInProcess(graceMs)) console.log("[arbiter] job worker stopped; unfinished jobs went back to the queue");
}

/**
 * Graceful shutdown for a server behind a load balancer. `answerProbe` serves the two probes the
 * server knows better than Next.js: `/api/health/live` (the process answers: 200 always) and,
 * while draining, `/api/health` (readiness) as 503 `draining`. `drain` then: readiness fails for
 * `delayMs` while everything else is still served (the balancer notices and stops sending), the
 * listener closes, idle keep-alive connections close, answers in flight carry `connection: close`
 * and get `graceMs` to finish (the worker stops in parallel), then what is left is cut.
 */
function createGracefulShutdown(server: Server, options: { delayMs: number; graceMs: number }) {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const json = (response: ServerResponse, status: number, body: unknown) =>
    response
      .writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...(draining ? { connection: "close" } : {}) })
      .end(JSON.stringify(body));
  return {
    answerProbe(request: IncomingMessage, response: ServerResponse): boolean {
      const path = (request.url ?? "").split("?")[0];
      if (path === "/api/health/live") {
        json(response, 200, { status: draining ? "draining" : "ok" });
        return true;
      }
      if (draining && path === "/api/health") {
        json(response, 503, { status: "draining" });
        return true;
      }
      return false;
    },
    track(response: ServerResponse) {
      inFlight.add(response);
      if (draining) response.setHeader("connection", "close");
      response.once("close", () => inFlight.delete(response));
    },
    async drain(stopWorker: () => Promise<void>): Promise<void> {
      draining = true;
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      server.close();
      server.closeIdleConnections();
      const worker = stopWorker();
      const deadline = Date.now() + options.graceMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (inFlight.size > 0) console.warn(`[arbiter] ${inFlight.size} request(s) still running after ${options.graceMs} ms: cut`);
      server.closeAllConnections();
      await worker;
    },
  };
}

main().catch((error: unknown) => {
  console.error(`[arbiter] web server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
