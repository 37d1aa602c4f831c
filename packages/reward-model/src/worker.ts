import { createRewardWorkerHandler } from "./reward-worker-protocol.ts";

/**
 * Web Worker entry. An app's worker file imports it (`import "@arbiter/reward-model/worker";`)
 * and the page starts that file as a module worker. Speaks the protocol in
 * reward-worker-protocol.ts; touches nothing but the worker scope.
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
