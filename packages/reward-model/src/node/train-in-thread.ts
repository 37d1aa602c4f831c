import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { RewardTrainingError, type TrainRewardModelOptions, type TrainRewardModelResult } from "../train-reward-model.ts";
import type { TrainingThreadRequest, TrainingThreadResponse } from "./training-thread-protocol.ts";

/** The training thread could not start, or died while training (not a problem with the data). */
export class TrainingThreadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TrainingThreadError";
  }
}

interface Pending {
  resolve(result: TrainRewardModelResult): void;
  reject(error: Error): void;
}

interface TrainingThread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

let thread: TrainingThread | null = null;
let nextId = 1;

const THREAD_NAME = "arbiter-reward-training";

function spawnWorker(): Worker {
  // Inside Next.js the bundler has compiled the thread's entry and rewrites the URL below to
  // its chunk (import.meta.url still ends in .ts there, so it cannot tell the two apart).
  // Read as written so that Next can inline it, as in apps/web/instrumentation.ts.
  // eslint-disable-next-line no-restricted-properties
  if (!process.env.NEXT_RUNTIME) {
    // Run from TypeScript source (tsx, vitest): Node 20 ignores --import in a worker's
    // execArgv, so the thread registers tsx itself before it loads its entry point.
    const entry = import.meta.url.replace(/train-in-thread\.ts$/, "training-thread.ts");
    const tsx = tsxEsmApiUrl();
    const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, name: THREAD_NAME });
  }
  return new Worker(new URL("./training-thread.ts", import.meta.url), { name: THREAD_NAME });
}

/** tsx's ESM API (its `register` works in a worker; the CommonJS build's does not). */
function tsxEsmApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports: Record<string, { import?: string | { default?: string } }> };
  const entry = manifest.exports["./esm/api"]?.import;
  const relative = typeof entry === "string" ? entry : entry?.default;
  if (!relative) throw new Error("tsx/package.json names no ESM entry for tsx/esm/api");
  return pathToFileURL(join(dirname(manifestPath), relative)).href;
}

function startThread(): TrainingThread {
  const worker = spawnWorker();
  const started: TrainingThread = { worker, pending: new Map() };
  const failAll = (error: Error) => {
    if (thread === started) thread = null;
    for (const pending of started.pending.values()) pending.reject(error);
    started.pending.clear();
  };
  worker.on("message", (response: TrainingThreadResponse) => {
    const pending = started.pending.get(response.id);
    if (!pending) return;
    started.pending.delete(response.id);
    if (started.pending.size === 0) worker.unref();
    if (response.ok) {
      const model = { featurizer: response.featurizer, weights: response.weights, metrics: response.metrics };
      pending.resolve({ model, metrics: response.metrics });
    } else if (response.error.name === "RewardTrainingError") {
      pending.reject(new RewardTrainingError(response.error.message));
    } else {
      pending.reject(new TrainingThreadError(`training failed in its thread: ${response.error.name}: ${response.error.message}`));
    }
  });
  worker.on("error", (error) => failAll(new TrainingThreadError(`the training thread failed: ${error.message}`, { cause: error })));
  worker.on("exit", (code) => failAll(new TrainingThreadError(`the training thread exited (code ${code})`)));
  worker.unref();
  return started;
}

/**
 * `trainRewardModel` on a background thread (node:worker_threads) that this process starts on
 * first use and keeps: the caller's event loop stays free, training's garbage is collected on
 * the thread's own heap, and on Linux the thread runs at the lowest CPU priority (nice 19), so
 * a server under load answers requests first. Same options, same result bit for bit.
 * Rejects with RewardTrainingError for bad options or data, TrainingThreadError when the thread
 * could not run (callers may then train on their own thread with `trainRewardModelAsync`).
 */
export function trainRewardModelInThread(options: TrainRewardModelOptions): Promise<TrainRewardModelResult> {
  let current: TrainingThread;
  try {
    current = thread ??= startThread();
  } catch (error) {
    return Promise.reject(
      new TrainingThreadError(`the training thread could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error }),
    );
  }
  const id = nextId++;
  return new Promise<TrainRewardModelResult>((resolve, reject) => {
    current.pending.set(id, { resolve, reject });
    current.worker.ref();
    const request: TrainingThreadRequest = { id, options };
    current.worker.postMessage(request);
  });
}

/** Stops the training thread (tests; a process exiting needs nothing: the thread does not keep it alive). */
export async function stopTrainingThread(): Promise<void> {
  const current = thread;
  thread = null;
  if (current) await current.worker.terminate();
}
