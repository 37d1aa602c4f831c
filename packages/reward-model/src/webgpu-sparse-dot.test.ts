import { describe, expect, it } from "vitest";
import { featurizeBatch, type SparseBatch } from "./featurize.ts";
import { sparseDotBatch } from "./sparse-dot.ts";
import { plantedSignalPairs } from "./testing/planted-signal-pairs.ts";
import { randomRewardModel } from "./testing/random-model.ts";
import { SPARSE_DOT_WGSL, SPARSE_DOT_WORKGROUP_SIZE } from "./webgpu-sparse-dot.ts";

/**
 * The shader's arithmetic on the CPU, step for step: per row, each of the workgroup's lanes
 * sums a strided share of the products in float32, then the lanes are added in a tree.
 */
function emulateSparseDotShader(weights: Float32Array, batch: SparseBatch, workgroupSize: number): Float32Array {
  const rows = batch.offsets.length - 1;
  const rewards = new Float32Array(rows);
  const partial = new Float32Array(workgroupSize);
  for (let row = 0; row < rows; row++) {
    const end = batch.offsets[row + 1] as number;
    for (let lane = 0; lane < workgroupSize; lane++) {
      let sum = 0;
      for (let k = (batch.offsets[row] as number) + lane; k < end; k += workgroupSize) {
        const index = batch.indices[k] as number;
        if (index < weights.length) sum = Math.fround(sum + Math.fround((weights[index] as number) * (batch.values[k] as number)));
      }
      partial[lane] = sum;
    }
    for (let stride = workgroupSize / 2; stride > 0; stride = Math.floor(stride / 2)) {
      for (let lane = 0; lane < stride; lane++) partial[lane] = (partial[lane] as number) + (partial[lane + stride] as number);
    }
    rewards[row] = partial[0] as number;
  }
  return rewards;
}

describe("SPARSE_DOT_WGSL", () => {
  it("declares the bindings the host binds, in order, and the workgroup size the emulation uses", () => {
    const bindings = [...SPARSE_DOT_WGSL.matchAll(/@binding\((\d+)\) var<([^>]+)> (\w+)/g)].map((m) => [Number(m[1]), m[2], m[3]]);
    expect(bindings).toEqual([
      [0, "storage, read", "weights"],
      [1, "storage, read", "offsets"],
      [2, "storage, read", "indices"],
      [3, "storage, read", "values"],
      [4, "storage, read_write", "rewards"],
      [5, "uniform", "params"],
    ]);
    expect(SPARSE_DOT_WGSL).toContain(`@workgroup_size(${SPARSE_DOT_WORKGROUP_SIZE})`);
    expect(SPARSE_DOT_WGSL).toContain(`const WORKGROUP_SIZE: u32 = ${SPARSE_DOT_WORKGROUP_SIZE}u;`);
    expect(SPARSE_DOT_WORKGROUP_SIZE & (SPARSE_DOT_WORKGROUP_SIZE - 1)).toBe(0);
  });

  it("its float32 arithmetic matches the float64 reference to 1e-4", () => {
    const model = randomRewardModel(9, { dim: 1 << 12 });
    const inputs = plantedSignalPairs({ count: 60, seed: 4 }).map((pair) => ({
      prompt: pair.prompt,
      response: `${pair.chosen}\n\n${pair.rejected}`.repeat(3),
    }));
    inputs.push({ prompt: "", response: "" });
    const batch = featurizeBatch(model.featurizer, inputs);
    expect(batch.offsets[1]).toBeGreaterThan(SPARSE_DOT_WORKGROUP_SIZE * 4);
    const emulated = emulateSparseDotShader(model.weights, batch, SPARSE_DOT_WORKGROUP_SIZE);
    const reference = sparseDotBatch(model.weights, batch, new Float64Array(inputs.length));
    let maxDifference = 0;
    reference.forEach((value, i) => (maxDifference = Math.max(maxDifference, Math.abs(value - (emulated[i] as number)))));
    expect(maxDifference).toBeLessThan(1e-4);
    expect(emulated[inputs.length - 1]).toBe(0);
  });
});
