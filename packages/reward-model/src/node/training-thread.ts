import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { trainRewardModel } from "../train-reward-model.ts";
import type { TrainingThreadRequest, TrainingThreadResponse } from "./training-thread-protocol.ts";

// The entry point of the thread that trains reward models off the server's request thread (see
// train-in-thread.ts). On Linux a nice value belongs to a thread, not to the process, so this
// lowers only this thread: with as many busy threads as cores, requests get the CPU first.
// Elsewhere setpriority(0) would renice the whole server, so it is left alone.
if (process.platform === "linux") {
  try {
    setPriority(19);
  } catch {
    // Not allowed (a container without CAP_SYS_NICE can still raise its own nice value, but be safe).
  }
}

parentPort?.on("message", (request: TrainingThreadRequest) => {
  let response: TrainingThreadResponse;
  try {
    const { model, metrics } = trainRewardModel(request.options);
    response = { id: request.id, ok: true, featurizer: model.featurizer, weights: model.weights, metrics };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    response = { id: request.id, ok: false, error: { name, message } };
  }
  parentPort?.postMessage(response, response.ok ? [response.weights.buffer as ArrayBuffer] : []);
});
