/**
 * Starts the background job worker (judge calls, routing passes) inside the Next.js server, so a
 * single `npm start` — embedded database included — runs everything. It shares the server's one
 * Prisma pool. Set ARBITER_WORKER=off to leave the jobs to separate `npm run worker` processes.
 */
export async function register() {
  // Next inlines NEXT_RUNTIME per bundle: the Edge bundle never sees the worker's imports.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWorkerInServer } = await import("./lib/start-worker-in-server");
  startWorkerInServer();
  // The annotation loop's hot routes, for scripts/web-server.ts to serve without Next.js's request layers.
  const { registerLeanRoutes } = await import("./lib/lean-routes");
  registerLeanRoutes();
}
