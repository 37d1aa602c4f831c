import { denseFeatureNames, FeaturizerConfigError, parseFeaturizerConfig, weightCount } from "./featurizer-config.ts";
import { crc32 } from "./hash.ts";
import type { RewardModel, TrainingMetrics } from "./reward-model.ts";

/**
 * ARM1 layout, all integers little-endian:
 *   0  "ARM1"          magic
 *   4  u16 version     (1)
 *   6  u16 flags       (0, reserved)
 *   8  u32 headerBytes length of the UTF-8 JSON header
 *  12  u32 weightCount number of float32 weights
 *  16  header JSON, then zero padding to a multiple of 4
 *   …  weightCount × f32
 *   …  u32 CRC-32 of every byte before it
 */
export const WEIGHTS_MAGIC = "ARM1";
export const WEIGHTS_FORMAT_VERSION = 1;
const FIXED_HEADER_BYTES = 16;
const CHECKSUM_BYTES = 4;

export type RewardModelFormatErrorReason =
  | "too_short"
  | "bad_magic"
  | "unsupported_version"
  | "truncated"
  | "trailing_bytes"
  | "checksum_mismatch"
  | "bad_header"
  | "weight_count_mismatch"
  | "non_finite_weight";

/** A weights file that cannot be used, and why. Thrown by `decodeWeights`, never later. */
export class RewardModelFormatError extends Error {
  constructor(
    readonly reason: RewardModelFormatErrorReason,
    message: string,
  ) {
    super(`invalid reward model weights (${reason}): ${message}`);
    this.name = "RewardModelFormatError";
  }
}

interface WeightsHeader {
  readonly featurizer: unknown;
  readonly denseFeatures: readonly string[];
  readonly metrics?: TrainingMetrics;
  readonly meta?: Readonly<Record<string, string>>;
}

export interface DecodedRewardModel extends RewardModel {
  /** Free-form string labels stored with the model (data set, commit…). */
  readonly meta: Readonly<Record<string, string>>;
}

/** Serializes a model to ARM1 bytes. Same model, same bytes. */
export function encodeWeights(model: RewardModel, meta: Readonly<Record<string, string>> = {}): Uint8Array {
  const expected = weightCount(model.featurizer);
  if (model.weights.length !== expected) {
    throw new RangeError(`model has ${model.weights.length} weights, its featurizer needs ${expected}`);
  }
  const header: WeightsHeader = {
    featurizer: model.featurizer,
    denseFeatures: denseFeatureNames(model.featurizer),
    ...(model.metrics ? { metrics: model.metrics } : {}),
    meta,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const paddedHeader = Math.ceil(headerBytes.length / 4) * 4;
  const weightsStart = FIXED_HEADER_BYTES + paddedHeader;
  const total = weightsStart + model.weights.length * 4 + CHECKSUM_BYTES;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = WEIGHTS_MAGIC.charCodeAt(i);
  view.setUint16(4, WEIGHTS_FORMAT_VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, headerBytes.length, true);
  view.setUint32(12, model.weights.length, true);
  bytes.set(headerBytes, FIXED_HEADER_BYTES);
  for (let i = 0; i < model.weights.length; i++) view.setFloat32(weightsStart + i * 4, model.weights[i] as number, true);
  view.setUint32(total - CHECKSUM_BYTES, crc32(bytes.subarray(0, total - CHECKSUM_BYTES)), true);
  return bytes;
}

function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new RewardModelFormatError("too_short", "expected an ArrayBuffer or a typed array");
}

function parseHeader(bytes: Uint8Array): WeightsHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new RewardModelFormatError("bad_header", `header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new RewardModelFormatError("bad_header", "header is not a JSON object");
  }
  const header = parsed as Record<string, unknown>;
  const dense = header.denseFeatures;
  if (!Array.isArray(dense) || !dense.every((name) => typeof name === "string")) {
    throw new RewardModelFormatError("bad_header", "denseFeatures must be an array of strings");
  }
  const meta = header.meta ?? {};
  if (typeof meta !== "object" || meta === null || Array.isArray(meta) || !Object.values(meta).every((v) => typeof v === "string")) {
    throw new RewardModelFormatError("bad_header", "meta must be an object of strings");
  }
  const metrics = header.metrics;
  if (metrics !== undefined && (typeof metrics !== "object" || metrics === null || Array.isArray(metrics))) {
    throw new RewardModelFormatError("bad_header", "metrics must be an object");
  }
  return {
    featurizer: header.featurizer,
    denseFeatures: dense as string[],
    ...(metrics === undefined ? {} : { metrics: metrics as TrainingMetrics }),
    meta: meta as Record<string, string>,
  };
}

/**
 * Reads ARM1 bytes, checking everything before returning: a corrupt, truncated or foreign file
 * throws a RewardModelFormatError with a reason, never a model that fails later.
 */
export function decodeWeights(data: ArrayBuffer | ArrayBufferView): DecodedRewardModel {
  const bytes = toBytes(data);
  if (bytes.length < FIXED_HEADER_BYTES + CHECKSUM_BYTES) {
    throw new RewardModelFormatError("too_short", `${bytes.length} bytes is shorter than the ${FIXED_HEADER_BYTES + CHECKSUM_BYTES}-byte minimum`);
  }
  const magic = String.fromCharCode(bytes[0] as number, bytes[1] as number, bytes[2] as number, bytes[3] as number);
  if (magic !== WEIGHTS_MAGIC) throw new RewardModelFormatError("bad_magic", `expected "${WEIGHTS_MAGIC}", found ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== WEIGHTS_FORMAT_VERSION) {
    throw new RewardModelFormatError("unsupported_version", `version ${version}; this reader understands ${WEIGHTS_FORMAT_VERSION}`);
  }
  const headerLength = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const weightsStart = FIXED_HEADER_BYTES + Math.ceil(headerLength / 4) * 4;
  const expectedLength = weightsStart + count * 4 + CHECKSUM_BYTES;
  if (bytes.length < expectedLength) {
    throw new RewardModelFormatError("truncated", `file has ${bytes.length} bytes, its header announces ${expectedLength}`);
  }
  if (bytes.length > expectedLength) {
    throw new RewardModelFormatError("trailing_bytes", `file has ${bytes.length - expectedLength} bytes after the checksum`);
  }
  const stored = view.getUint32(expectedLength - CHECKSUM_BYTES, true);
  const actual = crc32(bytes.subarray(0, expectedLength - CHECKSUM_BYTES));
  if (stored !== actual) {
    throw new RewardModelFormatError("checksum_mismatch", `stored CRC-32 ${stored.toString(16)}, computed ${actual.toString(16)}`);
  }

  const header = parseHeader(bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + headerLength));
  let featurizer;
  try {
    featurizer = parseFeaturizerConfig(header.featurizer);
  } catch (error) {
    if (error instanceof FeaturizerConfigError) throw new RewardModelFormatError("bad_header", error.message);
    throw error;
  }
  const dense = denseFeatureNames(featurizer);
  if (header.denseFeatures.join(",") !== dense.join(",")) {
    throw new RewardModelFormatError("bad_header", `dense features [${header.denseFeatures.join(", ")}] differ from this featurizer's [${dense.join(", ")}]`);
  }
  if (count !== weightCount(featurizer)) {
    throw new RewardModelFormatError("weight_count_mismatch", `${count} weights stored, the featurizer needs ${weightCount(featurizer)}`);
  }
  const weights = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const value = view.getFloat32(weightsStart + i * 4, true);
    if (!Number.isFinite(value)) throw new RewardModelFormatError("non_finite_weight", `weight ${i} is ${value}`);
    weights[i] = value;
  }
  return { featurizer, weights, metrics: header.metrics, meta: header.meta ?? {} };
}
