import { describe, expect, it } from "vitest";
import { createConcurrencyLimiter } from "./concurrency-limiter.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe("createConcurrencyLimiter", () => {
  it("runs at most maxConcurrency tasks at once, first come first served", async () => {
    const limiter = createConcurrencyLimiter(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      limiter.run(async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([limiter.active, limiter.pending]).toEqual([2, 2]);

    gates[1]?.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);

    gates.forEach((gate) => gate.resolve());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect([limiter.active, limiter.pending]).toEqual([0, 0]);
  });

  it("frees the slot when a task throws, and drops a waiter whose signal aborts", async () => {
    const limiter = createConcurrencyLimiter(1);
    const gate = deferred();
    const holder = limiter.run(() => gate.promise);
    const controller = new AbortController();
    const waiter = limiter.run(async () => "never", controller.signal);
    controller.abort(new Error("gave up"));

    await expect(waiter).rejects.toThrow("gave up");
    expect(limiter.pending).toBe(0);
    gate.resolve();
    await holder;
    await expect(limiter.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(limiter.active).toBe(0);
  });

  it("refuses a limit below one", () => {
    expect(() => createConcurrencyLimiter(0)).toThrow(RangeError);
  });
});
