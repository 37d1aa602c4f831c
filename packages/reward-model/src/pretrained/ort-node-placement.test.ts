import { describe, expect, it } from "vitest";
import { installOrtLogCapture } from "./ort-log-capture.ts";
import { judgeWebGpuPlacement, parseNodePlacement } from "./ort-node-placement.ts";

// Lines as onnxruntime's default log sink writes them (session_state.cc, VerifyEachNodeIsAssignedToAnEp).
const at = "[V:onnxruntime:, session_state.cc:1287 VerifyEachNodeIsAssignedToAnEp]";
const line = (text: string) => `2026-12-03 15:00:00.123456 ${at} ${text}`;

describe("parseNodePlacement", () => {
  it("reads the one-provider form", () => {
    const lines = [line("Node placements"), line(" All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 11")];
    expect(parseNodePlacement(lines)).toEqual({ providers: [{ provider: "WebGpuExecutionProvider", count: 11, ops: [] }] });
    expect(judgeWebGpuPlacement(parseNodePlacement(lines))).toEqual({ ok: true, summary: "all 11 nodes on WebGPU" });
  });

  it("reads the mixed form with each node's op type, also from one multi-line console call", () => {
    const lines = [
      "unrelated",
      [
        line("Node placements"),
        line(" Node(s) placed on [CPUExecutionProvider]. Number of nodes: 3"),
        line("  Shape (/embeddings/Shape)"),
        line("  Gather (/embeddings/Gather_1)"),
        line("  Unsqueeze (/Unsqueeze (x))"),
        line(" Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 4"),
        line("  Gather (tok)"),
        line("  MatMul (/layer.0/attention/MatMul)"),
        line("  LayerNormalization (ln)"),
        line("  Softmax (sm)"),
      ].join("\n"),
      "2026-12-03 [W:onnxruntime:, session_state.cc:1166 VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned to the preferred execution providers",
    ];
    const placement = parseNodePlacement(lines);
    expect(placement).toEqual({
      providers: [
        { provider: "CPUExecutionProvider", count: 3, ops: ["Shape", "Gather", "Unsqueeze"] },
        { provider: "WebGpuExecutionProvider", count: 4, ops: ["Gather", "MatMul", "LayerNormalization", "Softmax"] },
      ],
    });
    // Shape arithmetic on the CPU, the forward pass on the GPU: WebGPU is claimed, and the summary says what stayed behind.
    expect(judgeWebGpuPlacement(placement)).toEqual({
      ok: true,
      summary: "4 of 7 nodes on WebGPU; on CPUExecutionProvider: Shape, Gather, Unsqueeze",
    });
  });

  it("refuses WebGPU when a matrix product runs elsewhere, when nothing runs on it, or when the log is silent", () => {
    const matmulOnCpu = parseNodePlacement([
      line(" Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1"),
      line("  MatMul (m)"),
      line(" Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 1"),
      line("  Add (a)"),
    ]);
    expect(judgeWebGpuPlacement(matmulOnCpu)).toMatchObject({ ok: false, reason: expect.stringMatching(/^the forward pass would not run on WebGPU: MatMul/) });
    const onlyIndexWork = parseNodePlacement([
      line(" Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1"),
      line("  Gather (g)"),
      line(" Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 1"),
      line("  Add (a)"),
    ]);
    expect(judgeWebGpuPlacement(onlyIndexWork)).toMatchObject({ ok: false, reason: expect.stringMatching(/no matrix product/) });
    expect(judgeWebGpuPlacement(parseNodePlacement([line(" All nodes placed on [CPUExecutionProvider]. Number of nodes: 11")]))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no node of the model was placed on WebGPU/),
    });
    expect(parseNodePlacement(["nothing here"])).toBeNull();
    expect(judgeWebGpuPlacement(null)).toMatchObject({ ok: false, reason: expect.stringMatching(/did not log/) });
  });
});

describe("installOrtLogCapture", () => {
  it("hands a capture the lines logged meanwhile, keeps onnxruntime's verbose lines off the console, forwards the rest", async () => {
    const printed: string[] = [];
    const target = {
      log: (...a: unknown[]) => printed.push(`log ${a.join(" ")}`),
      info: (...a: unknown[]) => printed.push(`info ${a.join(" ")}`),
      warn: (...a: unknown[]) => printed.push(`warn ${a.join(" ")}`),
      error: (...a: unknown[]) => printed.push(`error ${a.join(" ")}`),
      debug: (...a: unknown[]) => printed.push(`debug ${a.join(" ")}`),
    } as unknown as Console;
    const capture = installOrtLogCapture(target);
    // Bound before the capture starts, as onnxruntime's WebAssembly glue does when it loads.
    const boundError = target.error.bind(target);
    target.log("before");
    const { value, lines } = await capture(async () => {
      boundError(line(" All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 2"));
      target.warn("a warning", 7);
      return 42;
    });
    target.log("after");
    boundError(line("a verbose line outside a capture"));
    expect(value).toBe(42);
    expect(lines).toEqual([line(" All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 2"), "a warning 7"]);
    expect(printed).toEqual(["log before", "warn a warning 7", "log after"]);
    await expect(capture(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    // A failed capture ends: the next one starts clean.
    expect((await capture(async () => 1)).lines).toEqual([]);
  });
});
