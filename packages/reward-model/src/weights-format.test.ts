import { describe, expect, it } from "vitest";
import { crc32 } from "./hash.ts";
import { randomRewardModel } from "./testing/random-model.ts";
import { decodeWeights, encodeWeights, RewardModelFormatError, type RewardModelFormatErrorReason } from "./weights-format.ts";

const model = {
  ...randomRewardModel(1, { dim: 256 }),
  metrics: {
    trainAccuracy: 0.75,
    heldOutAccuracy: 0.7,
    pairs: 10,
    heldOutPairs: 2,
    trainLoss: 0.5,
    heldOutLoss: 0.6,
    optimizer: "lbfgs" as const,
    iterations: 3,
    ms: 12.5,
  },
};
const encoded = encodeWeights(model, { dataset: "fixture" });

/** Recomputes the trailing CRC, so a test can reach the checks that come after it. */
function reseal(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(copy.length - 4, crc32(copy.subarray(0, copy.length - 4)), true);
  return copy;
}

function reasonOf(bytes: Uint8Array): RewardModelFormatErrorReason {
  try {
    decodeWeights(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(RewardModelFormatError);
    return (error as RewardModelFormatError).reason;
  }
  throw new Error("decodeWeights accepted corrupt bytes");
}

const weightsStart = (bytes: Uint8Array): number => 16 + Math.ceil(new DataView(bytes.buffer).getUint32(8, true) / 4) * 4;

describe("encodeWeights / decodeWeights", () => {
  it("round-trips weights bit for bit, with config, metrics and meta", () => {
    const decoded = decodeWeights(encoded);
    expect(Array.from(decoded.weights)).toEqual(Array.from(model.weights));
    expect(decoded.featurizer).toEqual(model.featurizer);
    expect(decoded.metrics).toEqual(model.metrics);
    expect(decoded.meta).toEqual({ dataset: "fixture" });
    expect(String.fromCharCode(...encoded.subarray(0, 4))).toBe("ARM1");
  });

  it("reads from an ArrayBuffer and from a view at an unaligned offset", () => {
    const padded = new Uint8Array(encoded.length + 3);
    padded.set(encoded, 3);
    expect(decodeWeights(padded.subarray(3)).weights).toEqual(model.weights);
    expect(decodeWeights(encoded.slice().buffer).weights).toEqual(model.weights);
  });

  it("encodes the same model to the same bytes", () => {
    expect(encodeWeights(model, { dataset: "fixture" })).toEqual(encoded);
  });

  it("refuses to encode weights that do not fit the featurizer", () => {
    expect(() => encodeWeights({ ...model, weights: model.weights.subarray(1) })).toThrow(RangeError);
  });

  it("reports every truncation as too_short or truncated", () => {
    for (let length = 0; length < encoded.length; length++) {
      expect(reasonOf(encoded.subarray(0, length))).toBe(length < 20 ? "too_short" : "truncated");
    }
  });

  it("catches every single flipped byte", () => {
    for (let i = 0; i < encoded.length; i++) {
      const corrupt = encoded.slice();
      corrupt[i] = (corrupt[i] as number) ^ 0x5a;
      expect(["bad_magic", "unsupported_version", "truncated", "trailing_bytes", "checksum_mismatch"]).toContain(reasonOf(corrupt));
    }
  });

  it("names wrong magic, version, checksum and trailing bytes", () => {
    expect(reasonOf(new TextEncoder().encode("PK\u0003\u0004 this is a zip file, not weights"))).toBe("bad_magic");
    const version = encoded.slice();
    new DataView(version.buffer).setUint16(4, 2, true);
    expect(reasonOf(version)).toBe("unsupported_version");
    const checksum = encoded.slice();
    checksum[checksum.length - 1] = (checksum[checksum.length - 1] as number) ^ 1;
    expect(reasonOf(checksum)).toBe("checksum_mismatch");
    const longer = new Uint8Array(encoded.length + 4);
    longer.set(encoded);
    expect(reasonOf(longer)).toBe("trailing_bytes");
    expect(() => decodeWeights(checksum)).toThrow(/invalid reward model weights \(checksum_mismatch\)/);
  });

  it("checks the header and the weights behind a valid checksum", () => {
    const badDim = encoded.slice();
    const at = Buffer.from(badDim).indexOf('"dim":256');
    expect(at).toBeGreaterThan(16);
    badDim[at + 8] = "5".charCodeAt(0);
    expect(reasonOf(reseal(badDim))).toBe("bad_header");

    const notJson = encoded.slice();
    notJson[16] = "[".charCodeAt(0);
    expect(reasonOf(reseal(notJson))).toBe("bad_header");

    const fewer = encoded.slice();
    const view = new DataView(fewer.buffer);
    view.setUint32(12, view.getUint32(12, true) - 1, true);
    const shortened = new Uint8Array(fewer.length - 4);
    shortened.set(fewer.subarray(0, fewer.length - 8));
    expect(reasonOf(reseal(shortened))).toBe("weight_count_mismatch");

    const nan = encoded.slice();
    new DataView(nan.buffer).setFloat32(weightsStart(nan) + 8, Number.NaN, true);
    expect(reasonOf(reseal(nan))).toBe("non_finite_weight");
  });
});
