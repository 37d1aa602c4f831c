import type { SparseBatch } from "./featurize.ts";

/*
 * A hand-assembled WebAssembly module with one function, so the "wasm" backend needs no
 * download and no build step. In text format:
 *
 * (module
 *   (import "env" "memory" (memory 1))
 *   (func (export "score_batch")
 *     (param $offsets i32) (param $indices i32) (param $values i32)
 *     (param $weights i32) (param $out i32) (param $rows i32)
 *     (local $row i32) (local $k i32) (local $end i32) (local $sum f64)
 *     (block (loop                                   ;; for row in 0..rows
 *       (br_if 1 (i32.ge_u (local.get $row) (local.get $rows)))
 *       (local.set $k   (i32.load offset=0 (offsets + row*4)))
 *       (local.set $end (i32.load offset=4 (offsets + row*4)))
 *       (local.set $sum (f64.const 0))
 *       (block (loop                                 ;; for k in start..end
 *         (br_if 1 (i32.ge_u (local.get $k) (local.get $end)))
 *         (local.set $sum (f64.add (local.get $sum)
 *           (f64.mul (f64.promote_f32 (f32.load (weights + indices[k]*4)))
 *                    (f64.promote_f32 (f32.load (values + k*4))))))
 *         (local.set $k (i32.add (local.get $k) (i32.const 1)))
 *         (br 0)))
 *       (f64.store (out + row*8) (local.get $sum))
 *       (local.set $row (i32.add (local.get $row) (i32.const 1)))
 *       (br 0))))
 *
 * The same float32 × float32 products summed in float64, in index order, as `sparseDotBatch`.
 */

const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Shl: 0x74,
  f64Add: 0xa0,
  f64Mul: 0xa2,
  f64PromoteF32: 0xbb,
} as const;
const VOID_BLOCK = 0x40;
const I32 = 0x7f;
const F64 = 0x7c;

function unsignedLeb128(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

function vector(items: readonly number[][]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb128(bytes.length), ...bytes];
}

function section(id: number, content: readonly number[]): number[] {
  return [id, ...unsignedLeb128(content.length), ...content];
}

const [OFFSETS, INDICES, VALUES, WEIGHTS, OUT, ROWS, ROW, K, END, SUM] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const get = (local: number): number[] => [OP.localGet, local];
const set = (local: number): number[] => [OP.localSet, local];
const i32 = (value: number): number[] => [OP.i32Const, value];
/** Memory access immediates: alignment exponent, then offset. */
const memarg = (align: number, offset = 0): number[] => [align, ...unsignedLeb128(offset)];

function scoreBatchBody(): number[] {
  const offsetSlot = [...get(OFFSETS), ...get(ROW), ...i32(2), OP.i32Shl, OP.i32Add];
  const code = [
    OP.block,
    VOID_BLOCK,
    OP.loop,
    VOID_BLOCK,
    ...get(ROW),
    ...get(ROWS),
    OP.i32GeU,
    OP.brIf,
    1,
    ...offsetSlot,
    OP.i32Load,
    ...memarg(2, 0),
    ...set(K),
    ...offsetSlot,
    OP.i32Load,
    ...memarg(2, 4),
    ...set(END),
    OP.f64Const,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    ...set(SUM),
    OP.block,
    VOID_BLOCK,
    OP.loop,
    VOID_BLOCK,
    ...get(K),
    ...get(END),
    OP.i32GeU,
    OP.brIf,
    1,
    ...get(SUM),
    ...get(WEIGHTS),
    ...get(INDICES),
    ...get(K),
    ...i32(2),
    OP.i32Shl,
    OP.i32Add,
    OP.i32Load,
    ...memarg(2),
    ...i32(2),
    OP.i32Shl,
    OP.i32Add,
    OP.f32Load,
    ...memarg(2),
    OP.f64PromoteF32,
    ...get(VALUES),
    ...get(K),
    ...i32(2),
    OP.i32Shl,
    OP.i32Add,
    OP.f32Load,
    ...memarg(2),
    OP.f64PromoteF32,
    OP.f64Mul,
    OP.f64Add,
    ...set(SUM),
    ...get(K),
    ...i32(1),
    OP.i32Add,
    ...set(K),
    OP.br,
    0,
    OP.end,
    OP.end,
    ...get(OUT),
    ...get(ROW),
    ...i32(3),
    OP.i32Shl,
    OP.i32Add,
    ...get(SUM),
    OP.f64Store,
    ...memarg(3),
    ...get(ROW),
    ...i32(1),
    OP.i32Add,
    ...set(ROW),
    OP.br,
    0,
    OP.end,
    OP.end,
    OP.end,
  ];
  const locals = vector([
    [3, I32],
    [1, F64],
  ]);
  return [...unsignedLeb128(locals.length + code.length), ...locals, ...code];
}

/** The module's bytes (a few hundred), built once. */
export function sparseDotWasmBytes(): Uint8Array<ArrayBuffer> {
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00]])),
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0x00]])),
    ...section(7, vector([[...name("score_batch"), 0x00, 0x00]])),
    ...section(10, vector([scoreBatchBody()])),
  ];
  return Uint8Array.from(bytes);
}

const PAGE = 65536;
const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Sparse dot products in WebAssembly: the weights stay in its memory, batches are copied in. */
export class WasmSparseDot {
  private constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly scoreBatch: (offsets: number, indices: number, values: number, weights: number, out: number, rows: number) => void,
    private readonly weightCount: number,
  ) {}

  static async create(weights: Float32Array): Promise<WasmSparseDot> {
    const memory = new WebAssembly.Memory({ initial: Math.ceil((weights.length * 4) / PAGE) + 1 });
    const module = await WebAssembly.compile(sparseDotWasmBytes());
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const scoreBatch = instance.exports.score_batch as (...args: number[]) => void;
    new Float32Array(memory.buffer, 0, weights.length).set(weights);
    return new WasmSparseDot(memory, scoreBatch, weights.length);
  }

  score(batch: SparseBatch): Float64Array {
    const rows = batch.offsets.length - 1;
    const offsetsAt = align8(this.weightCount * 4);
    const indicesAt = align8(offsetsAt + batch.offsets.length * 4);
    const valuesAt = align8(indicesAt + batch.indices.length * 4);
    const outAt = align8(valuesAt + batch.values.length * 4);
    const needed = outAt + rows * 8;
    if (needed > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((needed - this.memory.buffer.byteLength) / PAGE));
    const buffer = this.memory.buffer;
    // WebAssembly would read whatever lies past the weights rather than trap: check first.
    const indices = batch.indices;
    let maxIndex = 0;
    for (let k = 0; k < indices.length; k++) if ((indices[k] as number) > maxIndex) maxIndex = indices[k] as number;
    if (indices.length > 0 && maxIndex >= this.weightCount) throw new RangeError(`feature index ${maxIndex} is outside the ${this.weightCount} weights`);
    new Uint32Array(buffer, offsetsAt, batch.offsets.length).set(batch.offsets);
    new Uint32Array(buffer, indicesAt, batch.indices.length).set(batch.indices);
    new Float32Array(buffer, valuesAt, batch.values.length).set(batch.values);
    this.scoreBatch(offsetsAt, indicesAt, valuesAt, 0, outAt, rows);
    return new Float64Array(buffer, outAt, rows).slice();
  }
}
