const now = (): number => globalThis.performance.now();

export interface SliceOptions {
  /** Longest stretch (ms) of work between two pauses that let other work on the thread run. */
  readonly sliceMs: number;
  /** Idle time (ms) after each slice; 0 resumes as soon as queued work has run. */
  readonly restMs: number;
}

/**
 * Runs a generator to its end, pausing (letting the event loop run: I/O, timers, other
 * requests) whenever more than `sliceMs` has passed since the last pause — and already before
 * a step that, judging by the one just run, would end past it, so slices seldom run over.
 * Exceptions the generator throws reject the returned promise.
 */
export async function runInSlices<T>(steps: Generator<void, T, void>, { sliceMs, restMs }: SliceOptions): Promise<T> {
  let sliceStarted = now();
  let stepStarted = sliceStarted;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const stepEnded = now();
    if (stepEnded - sliceStarted + (stepEnded - stepStarted) > sliceMs) {
      await (restMs > 0 ? new Promise((resolve) => setTimeout(resolve, restMs)) : yieldToEventLoop());
      sliceStarted = now();
      stepStarted = sliceStarted;
    } else {
      stepStarted = stepEnded;
    }
  }
}

/** Runs a generator to its end without pausing. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Resolves after other queued work has had a turn: `setImmediate` in Node (after pending I/O),
 * a MessageChannel message in browsers and workers (a macrotask without setTimeout's clamping),
 * setTimeout as the last resort.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
