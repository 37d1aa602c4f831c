import type { ChildProcess } from "node:child_process";
import { spawnRepoScript } from "./launch-app.ts";
import { alive, killNow } from "./processes.ts";
import { waitFor } from "./wait.ts";

/**
 * `npm run worker` (packages/core/bin/worker.ts) as its own process on a database server, for the
 * cluster test and the benchmarks: started on node + tsx directly (its pid is the worker's root),
 * ready once it logs "started", and stopped with SIGTERM or killed with SIGKILL.
 */
export interface RunningWorker {
  child: ChildProcess;
  log(): string;
  pids(): number[];
  /** SIGKILL to the worker and anything it started, as a crash or an OOM kill would. */
  kill9(): Promise<void>;
  /** SIGTERM (running jobs get 30 s, the rest go back to the queue) and wait. */
  stop(): Promise<void>;
}

export async function launchWorker(options: { databaseUrl: string; env?: Record<string, string>; baseEnv?: NodeJS.ProcessEnv }): Promise<RunningWorker> {
  const { child, log, exited, pids } = spawnRepoScript("packages/core/bin/worker.ts", {
    ...(options.baseEnv ?? process.env),
    DATABASE_URL: options.databaseUrl,
    ...options.env,
  });
  const worker: RunningWorker = {
    child,
    log,
    pids,
    async kill9() {
      const all = pids();
      all.forEach(killNow);
      await exited;
      await waitFor(() => all.every((pid) => !alive(pid)), 10_000, "the killed worker to disappear");
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const all = pids();
      child.kill("SIGTERM");
      const timer = setTimeout(() => all.forEach(killNow), 40_000);
      await exited;
      clearTimeout(timer);
    },
  };
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`worker exited early (${child.exitCode}):\n${log()}`);
      return log().includes("[arbiter worker] started");
    },
    120_000,
    "the worker to start",
    200,
  );
  return worker;
}
