import { describe, expect, it } from "vitest";
import { denseFeatureNames, resolveFeaturizerConfig, weightCount } from "./featurizer-config.ts";
import { featurize, featurizeBatch } from "./featurize.ts";
import { crc32 } from "./hash.ts";

const config = resolveFeaturizerConfig({ dim: 1 << 12 });
const sample = {
  prompt: "How do I sort a list in Python?",
  response: "# Sorting\n\nUse `sorted()`:\n\n```python\nprint(sorted([3, 1, 2]))\n```\n\n- stable\n- returns a **new** list\n1. See https://docs.python.org\n",
};

function digest(features: { indices: Uint32Array; values: Float32Array }): number {
  const bytes = new Uint8Array(features.indices.length * 8);
  const view = new DataView(bytes.buffer);
  features.indices.forEach((index, i) => {
    view.setUint32(i * 8, index, true);
    view.setFloat32(i * 8 + 4, features.values[i] as number, true);
  });
  return crc32(bytes);
}

describe("featurize", () => {
  it("is deterministic and independent of what was featurized before", () => {
    const first = featurize(config, sample);
    featurize(config, { response: "something else entirely, with other words" });
    featurize(resolveFeaturizerConfig({ dim: 1 << 10 }), sample);
    const second = featurize(config, sample);
    expect(Array.from(second.indices)).toEqual(Array.from(first.indices));
    expect(Array.from(second.values)).toEqual(Array.from(first.values));
  });

  it("pins the exact features of a fixed text (changing them needs a new format version)", () => {
    const features = featurize(config, sample);
    expect(features.indices.length).toBe(192);
    expect(digest(features)).toBe(0xaed706c3);
  });

  it("returns ascending, distinct, in-range indices and no zeros", () => {
    const { indices, values } = featurize(config, sample);
    for (let i = 1; i < indices.length; i++) expect(indices[i]).toBeGreaterThan(indices[i - 1] as number);
    expect(indices[indices.length - 1]).toBeLessThan(weightCount(config));
    expect(values.every((v) => v !== 0 && Number.isFinite(v))).toBe(true);
  });

  it("counts markdown structure in the style features", () => {
    const { indices, values } = featurize(config, sample);
    const dense = new Map<string, number>();
    indices.forEach((index, i) => {
      if (index >= config.dim) dense.set(denseFeatureNames(config)[index - config.dim] as string, values[i] as number);
    });
    const count = (name: string): number => Math.round(Math.expm1((dense.get(name) ?? 0) * 2));
    expect(count("headers")).toBe(1);
    expect(count("code_blocks")).toBe(1);
    expect(count("bullet_items")).toBe(2);
    expect(count("numbered_items")).toBe(1);
    expect(count("inline_code")).toBe(1);
    expect(count("bold_spans")).toBe(1);
    expect(count("links")).toBe(1);
    expect(dense.get("prompt_coverage")).toBeGreaterThan(0);
  });

  it("adds overlap features only with a prompt and only when context is on", () => {
    const names = denseFeatureNames(config);
    const coverage = config.dim + names.indexOf("prompt_coverage");
    expect(Array.from(featurize(config, { response: sample.response }).indices)).not.toContain(coverage);
    const noContext = resolveFeaturizerConfig({ dim: 1 << 12, context: false });
    expect(weightCount(noContext)).toBe(weightCount(config) - 4);
    expect(Math.max(...featurize(noContext, sample).indices)).toBeLessThan(weightCount(noContext));
  });

  it("uses only positive values without signed hashing", () => {
    const unsigned = resolveFeaturizerConfig({ dim: 1 << 12, signedHashing: false, style: false, context: false });
    expect(featurize(unsigned, sample).values.every((v) => v > 0)).toBe(true);
  });

  it("builds the same rows in a batch as one at a time", () => {
    const inputs = [sample, { response: "" }, { response: "Short answer." }, { prompt: "p", response: "Another one, longer than the last." }];
    const batch = featurizeBatch(config, inputs);
    expect(batch.offsets.length).toBe(inputs.length + 1);
    inputs.forEach((input, row) => {
      const single = featurize(config, input);
      const start = batch.offsets[row] as number;
      const end = batch.offsets[row + 1] as number;
      expect(Array.from(batch.indices.subarray(start, end))).toEqual(Array.from(single.indices));
      expect(Array.from(batch.values.subarray(start, end))).toEqual(Array.from(single.values));
    });
  });

  it("rejects invalid configurations", () => {
    expect(() => resolveFeaturizerConfig({ dim: 1000 })).toThrow(/power of two/);
    expect(() => resolveFeaturizerConfig({ charNgrams: { min: 4, max: 2 } })).toThrow(/charNgrams/);
  });
});
