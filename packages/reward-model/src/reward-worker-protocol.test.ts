import { describe, expect, it } from "vitest";
import { createRewardWorkerClient, RewardWorkerError, type RewardWorkerLike } from "./reward-worker-client.ts";
import { createRewardWorkerHandler } from "./reward-worker-protocol.ts";
import { scoreReference } from "./sparse-dot.ts";
import { randomRewardModel } from "./testing/random-model.ts";
import { encodeWeights } from "./weights-format.ts";

const model = randomRewardModel(5, { dim: 1 << 10 });
const weights = (): ArrayBuffer => encodeWeights(model).slice().buffer;
const items = [{ prompt: "Say hi", response: "Hi there! How can I help?" }, { response: "No." }];

describe("reward worker protocol", () => {
  it("loads weights, scores items and returns attributions and the backend", async () => {
    const handle = createRewardWorkerHandler();
    const [loaded, scored] = await Promise.all([
      handle({ id: 1, type: "load", weights: weights(), backend: "wasm" }),
      handle({ id: 2, type: "score", items, attributions: { top: 2 } }),
    ]);
    expect(loaded).toMatchObject({ id: 1, type: "loaded", backend: "wasm", featurizer: model.featurizer, metrics: null });
    if (scored.type !== "scored") throw new Error(JSON.stringify(scored));
    expect(scored.backend).toBe("wasm");
    expect(scored.rewards).toEqual(scoreReference(model, items));
    expect(scored.attributions?.[0]?.reward).toBe(scored.rewards[0]);
    expect(scored.attributions?.[0]?.tokens.length).toBe(6);
    expect(await handle({ id: 3, type: "dispose" })).toEqual({ id: 3, type: "disposed" });
    expect(await handle({ id: 4, type: "score", items })).toMatchObject({ id: 4, type: "error", code: "not_loaded" });
  });

  it("answers bad requests and bad weights with typed errors", async () => {
    const handle = createRewardWorkerHandler();
    expect(await handle("hello")).toMatchObject({ id: -1, type: "error", code: "bad_request" });
    expect(await handle({ id: 1, type: "fly" })).toMatchObject({ id: 1, code: "bad_request" });
    expect(await handle({ id: 2, type: "load", weights: "nope" })).toMatchObject({ code: "bad_request" });
    expect(await handle({ id: 3, type: "load", weights: weights(), backend: "cuda" })).toMatchObject({ code: "bad_request" });
    expect(await handle({ id: 4, type: "load", weights: new ArrayBuffer(40) })).toMatchObject({ code: "invalid_weights", reason: "bad_magic" });
    expect(await handle({ id: 5, type: "load", weights: weights(), backend: "webgpu" })).toMatchObject({ code: "backend_unavailable" });
    await handle({ id: 6, type: "load", weights: weights() });
    expect(await handle({ id: 7, type: "score", items: [{ prompt: 1, response: "x" }] })).toMatchObject({ code: "bad_request" });
  });

  it("drives the protocol through the promise client", async () => {
    const handle = createRewardWorkerHandler();
    const listeners: ((event: MessageEvent) => void)[] = [];
    const loopback: RewardWorkerLike = {
      postMessage: (message) => void handle(message).then((data) => listeners.forEach((l) => l({ data } as MessageEvent))),
      addEventListener: (_type, listener) => listeners.push(listener),
      terminate: () => {},
    };
    const client = createRewardWorkerClient(loopback);
    await expect(client.score(items)).rejects.toThrow(RewardWorkerError);
    expect((await client.load(weights(), { backend: "js" })).backend).toBe("js");
    const scored = await client.score(items);
    expect(scored.rewards).toEqual(scoreReference(model, items));
    expect(scored.attributions).toBeNull();
  });
});
