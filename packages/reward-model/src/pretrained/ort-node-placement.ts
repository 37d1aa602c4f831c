/**
 * Where onnxruntime put each node of a session's graph, read from its own verbose log
 * (session_state.cc, VerifyEachNodeIsAssignedToAnEp: "All nodes placed on [EP]. Number of
 * nodes: N", or per provider "Node(s) placed on [EP]. Number of nodes: N" followed by one
 * "OpType (name)" line per node). onnxruntime offers no API for this; its log is the only
 * statement of which provider runs which node, and a WebGPU session quietly runs on the CPU any
 * node the WebGPU provider has no kernel for.
 */
export interface NodePlacement {
  /** Nodes per execution provider; `ops` lists op types when the log named the nodes (a mixed placement). */
  readonly providers: ReadonlyArray<{ readonly provider: string; readonly count: number; readonly ops: readonly string[] }>;
}

const ALL = /All nodes placed on \[([A-Za-z0-9_]+)\]\. Number of nodes: (\d+)/;
const SOME = /Node\(s\) placed on \[([A-Za-z0-9_]+)\]\. Number of nodes: (\d+)/;
const NODE = /VerifyEachNodeIsAssignedToAnEp\]\s+([A-Za-z0-9_.]+) \(.*\)\s*$/;

/** Parses the placement out of onnxruntime's log lines; null when the log does not state it. */
export function parseNodePlacement(lines: readonly string[]): NodePlacement | null {
  const totals = new Map<string, { count: number; ops: string[] }>();
  let current: { count: number; ops: string[] } | null = null;
  let found = false;
  const entry = (provider: string) => {
    let value = totals.get(provider);
    if (!value) {
      value = { count: 0, ops: [] };
      totals.set(provider, value);
    }
    return value;
  };
  for (const line of lines.flatMap((l) => l.split("\n"))) {
    const all = ALL.exec(line);
    if (all) {
      found = true;
      current = null;
      entry(all[1] as string).count += Number(all[2]);
      continue;
    }
    const some = SOME.exec(line);
    if (some) {
      found = true;
      current = entry(some[1] as string);
      current.count += Number(some[2]);
      continue;
    }
    const node = current ? NODE.exec(line) : null;
    if (node && current) current.ops.push(node[1] as string);
    else if (!/VerifyEachNodeIsAssignedToAnEp/.test(line)) current = null;
  }
  if (!found) return null;
  return { providers: [...totals].map(([provider, { count, ops }]) => ({ provider, count, ops })) };
}

/**
 * The ops that are a transformer's (or any network's) forward pass: matrix products,
 * convolutions, attention, normalization, activations. Index arithmetic on shapes (Shape,
 * Gather of a shape, Concat, Unsqueeze, Cast of small int64 tensors) is what onnxruntime
 * deliberately keeps on the CPU even in a GPU session.
 */
export const FORWARD_PASS_OPS: ReadonlySet<string> = new Set([
  "MatMul",
  "Gemm",
  "FusedMatMul",
  "MatMulNBits",
  "MatMulInteger",
  "QLinearMatMul",
  "Conv",
  "Einsum",
  "Attention",
  "MultiHeadAttention",
  "GroupQueryAttention",
  "RotaryEmbedding",
  "LayerNormalization",
  "SkipLayerNormalization",
  "SimplifiedLayerNormalization",
  "SkipSimplifiedLayerNormalization",
  "EmbedLayerNormalization",
  "Gelu",
  "FastGelu",
  "BiasGelu",
  "QuickGelu",
  "Softmax",
]);

export const WEBGPU_PROVIDER = "WebGpuExecutionProvider";

/**
 * Whether a WebGPU session does the forward pass on the GPU: every node on WebGPU, or every
 * forward-pass op (at least one) on WebGPU with only index arithmetic left on the CPU. The
 * summary says so in words ("all 11 nodes on WebGPU", "38 of 40 nodes on WebGPU; on
 * CPUExecutionProvider: Shape, Gather").
 */
export function judgeWebGpuPlacement(placement: NodePlacement | null): { ok: true; summary: string } | { ok: false; reason: string } {
  if (!placement) return { ok: false, reason: "onnxruntime did not log where it placed the model's nodes, so WebGPU cannot be claimed" };
  const total = placement.providers.reduce((n, p) => n + p.count, 0);
  const gpu = placement.providers.find((p) => p.provider === WEBGPU_PROVIDER);
  const others = placement.providers.filter((p) => p.provider !== WEBGPU_PROVIDER && p.count > 0);
  if (!gpu || gpu.count === 0) return { ok: false, reason: `no node of the model was placed on WebGPU (${describe(others)})` };
  if (others.length === 0) return { ok: true, summary: `all ${total} nodes on WebGPU` };
  const offloaded = others.flatMap((p) => p.ops.filter((op) => FORWARD_PASS_OPS.has(op)));
  const onGpu = gpu.ops.filter((op) => FORWARD_PASS_OPS.has(op));
  const summary = `${gpu.count} of ${total} nodes on WebGPU; ${describe(others)}`;
  if (offloaded.length > 0)
    return { ok: false, reason: `the forward pass would not run on WebGPU: ${unique(offloaded).join(", ")} placed elsewhere (${summary})` };
  if (onGpu.length === 0) return { ok: false, reason: `no matrix product, attention or normalization of the model runs on WebGPU (${summary})` };
  return { ok: true, summary };
}

const unique = (values: readonly string[]) => [...new Set(values)];

function describe(providers: NodePlacement["providers"]): string {
  return providers.map((p) => `on ${p.provider}: ${p.ops.length > 0 ? unique(p.ops).join(", ") : `${p.count} nodes`}`).join("; ");
}
