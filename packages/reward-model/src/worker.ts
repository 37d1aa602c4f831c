import { createRewardWorkerHandler } from "./reward-worker-protocol.ts";

/**
 * Web Worker entry: `new Worker(new URL("@arbiter/reward-model/worker", import.meta.url), { type: "module" })`.
 * Speaks the protocol in reward-worker-protocol.ts. Touches nothing but the worker scope.
 */
interface WorkerScope {
  addEventListener(type: "message", listener: (event: { readonly data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;
const handle = createRewardWorkerHandler();

scope.addEventListener("message", (event) => {
  void handle(event.data).then((response) => scope.postMessage(response));
});
