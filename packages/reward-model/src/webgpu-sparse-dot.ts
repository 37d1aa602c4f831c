/// <reference types="@webgpu/types" />
import type { SparseBatch } from "./featurize.ts";

export const SPARSE_DOT_WORKGROUP_SIZE = 64;
/** WebGPU caps each dispatch dimension at 65,535 workgroups: one workgroup scores one row. */
const MAX_ROWS_PER_DISPATCH = 65535;

/**
 * One workgroup per CSR row: each invocation sums a strided share of the row's products,
 * then the workgroup adds the partial sums in a tree. The CPU scatters features into CSR; the
 * GPU does the reduction against the weights, which stay on the device.
 */
export const SPARSE_DOT_WGSL = /* wgsl */ `
struct Params {
  rowCount: u32,
  weightCount: u32,
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<storage, read> weights: array<f32>;
@group(0) @binding(1) var<storage, read> offsets: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
@group(0) @binding(3) var<storage, read> values: array<f32>;
@group(0) @binding(4) var<storage, read_write> rewards: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

const WORKGROUP_SIZE: u32 = ${SPARSE_DOT_WORKGROUP_SIZE}u;
var<workgroup> partial: array<f32, WORKGROUP_SIZE>;

@compute @workgroup_size(${SPARSE_DOT_WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let row = group.x;
  if (row >= params.rowCount) {
    return;
  }
  let end = offsets[row + 1u];
  var sum = 0.0;
  for (var k = offsets[row] + lane; k < end; k += WORKGROUP_SIZE) {
    let index = indices[k];
    if (index < params.weightCount) {
      sum += weights[index] * values[k];
    }
  }
  partial[lane] = sum;
  workgroupBarrier();
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride = stride / 2u) {
    if (lane < stride) {
      partial[lane] += partial[lane + stride];
    }
    workgroupBarrier();
  }
  if (lane == 0u) {
    rewards[row] = partial[0];
  }
}
`;

export class WebGpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebGpuUnavailableError";
  }
}

export interface WebGpuSparseDotOptions {
  readonly weights: Float32Array;
  /** Defaults to `navigator.gpu` (window or worker). */
  readonly gpu?: GPU | undefined;
  /** Accept a software adapter (SwiftShader): correct, but slower than WebAssembly. */
  readonly allowFallbackAdapter?: boolean | undefined;
}

export interface WebGpuAdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly isFallbackAdapter: boolean;
}

/** WebGPU copies from shared and unshared buffers alike; the typings only name the latter. */
const gpuSource = (view: Float32Array | Uint32Array): GPUAllowSharedBufferSource => view as Float32Array<ArrayBuffer>;

function navigatorGpu(): GPU | undefined {
  return (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
}

function summarize(adapter: GPUAdapter): WebGpuAdapterSummary {
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const legacyFallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info?.vendor ?? "",
    architecture: info?.architecture ?? "",
    isFallbackAdapter: info?.isFallbackAdapter ?? legacyFallback ?? false,
  };
}

/** Rewards for CSR batches on the GPU, in float32. */
export class WebGpuSparseDot {
  private lost = false;

  private constructor(
    private readonly device: GPUDevice,
    private readonly pipeline: GPUComputePipeline,
    private readonly weightBuffer: GPUBuffer,
    private readonly weightCount: number,
    readonly adapter: WebGpuAdapterSummary,
  ) {
    void device.lost.then(() => {
      this.lost = true;
    });
  }

  static async create(options: WebGpuSparseDotOptions): Promise<WebGpuSparseDot> {
    const gpu = options.gpu ?? navigatorGpu();
    if (!gpu) throw new WebGpuUnavailableError("navigator.gpu is missing (no WebGPU in this environment)");
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) throw new WebGpuUnavailableError("requestAdapter() returned null");
    const summary = summarize(adapter);
    if (summary.isFallbackAdapter && !options.allowFallbackAdapter) {
      throw new WebGpuUnavailableError(`only a fallback adapter is available (${summary.vendor} ${summary.architecture})`);
    }
    const device = await adapter.requestDevice({
      requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize },
    });
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ code: SPARSE_DOT_WGSL });
    const pipeline = await device.createComputePipelineAsync({ layout: "auto", compute: { module, entryPoint: "main" } });
    const weightBuffer = device.createBuffer({
      size: Math.max(4, options.weights.byteLength),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(weightBuffer, 0, gpuSource(options.weights));
    const error = await device.popErrorScope();
    if (error) {
      device.destroy();
      throw new WebGpuUnavailableError(`WebGPU setup failed: ${error.message}`);
    }
    return new WebGpuSparseDot(device, pipeline, weightBuffer, options.weights.length, summary);
  }

  async score(batch: SparseBatch): Promise<Float32Array> {
    if (this.lost) throw new WebGpuUnavailableError("the WebGPU device was lost");
    const rows = batch.offsets.length - 1;
    const out = new Float32Array(rows);
    const maxEntries = Math.floor(this.device.limits.maxStorageBufferBindingSize / 4);
    let first = 0;
    while (first < rows) {
      let last = Math.min(rows, first + MAX_ROWS_PER_DISPATCH);
      const base = batch.offsets[first] as number;
      while (last > first + 1 && (batch.offsets[last] as number) - base > maxEntries) last = first + Math.ceil((last - first) / 2);
      out.set(await this.scoreRows(batch, first, last), first);
      first = last;
    }
    return out;
  }

  private async scoreRows(batch: SparseBatch, first: number, last: number): Promise<Float32Array> {
    const device = this.device;
    const rows = last - first;
    const base = batch.offsets[first] as number;
    const end = batch.offsets[last] as number;
    const offsets = batch.offsets.slice(first, last + 1).map((offset) => offset - base);
    const storage = (data: Uint32Array | Float32Array): GPUBuffer => {
      const buffer = device.createBuffer({ size: Math.max(4, data.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      if (data.byteLength > 0) device.queue.writeBuffer(buffer, 0, gpuSource(data));
      return buffer;
    };
    const offsetBuffer = storage(offsets);
    const indexBuffer = storage(batch.indices.subarray(base, end));
    const valueBuffer = storage(batch.values.subarray(base, end));
    const rewardBuffer = device.createBuffer({ size: rows * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const readBuffer = device.createBuffer({ size: rows * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const paramBuffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(paramBuffer, 0, Uint32Array.from([rows, this.weightCount, 0, 0]));
    try {
      const bindGroup = device.createBindGroup({
        layout: this.pipeline.getBindGroupLayout(0),
        entries: [this.weightBuffer, offsetBuffer, indexBuffer, valueBuffer, rewardBuffer, paramBuffer].map((buffer, binding) => ({
          binding,
          resource: { buffer },
        })),
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(rows);
      pass.end();
      encoder.copyBufferToBuffer(rewardBuffer, 0, readBuffer, 0, rows * 4);
      device.queue.submit([encoder.finish()]);
      await readBuffer.mapAsync(GPUMapMode.READ);
      const rewards = new Float32Array(readBuffer.getMappedRange()).slice();
      readBuffer.unmap();
      return rewards;
    } finally {
      for (const buffer of [offsetBuffer, indexBuffer, valueBuffer, rewardBuffer, readBuffer, paramBuffer]) buffer.destroy();
    }
  }

  destroy(): void {
    this.weightBuffer.destroy();
    this.device.destroy();
  }
}
