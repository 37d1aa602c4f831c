/** Runs `run` and hands back, with its value, the lines logged to the console meanwhile. */
export type CaptureLog = <T>(run: () => Promise<T>) => Promise<{ value: T; lines: string[] }>;

const METHODS = ["log", "info", "warn", "error", "debug"] as const;
/** onnxruntime's verbose and info lines ("… [V:onnxruntime:, …]", "[I:onnxruntime:"), kept off the console. */
const ORT_CHATTER = /\[[VI]:onnxruntime:/;

/**
 * Lets the reward worker read onnxruntime-web's own log. Its WebAssembly runtime binds
 * `console.log` / `console.error` once, when the module loads, so this must be installed
 * before onnxruntime is imported: it puts forwarding functions on the console that also hand
 * each line to an active capture. onnxruntime's verbose and info lines — there only because a
 * WebGPU session is created with verbose logging to read its placement, and long — are kept off
 * the console (a capture records them); everything else reaches the console as before.
 */
export function installOrtLogCapture(target: Console = globalThis.console): CaptureLog {
  let active: string[] | null = null;
  for (const method of METHODS) {
    const original = target[method].bind(target);
    target[method] = (...args: unknown[]) => {
      const line = args.map((a) => (typeof a === "string" ? a : a instanceof Error ? a.message : String(a))).join(" ");
      active?.push(line);
      if (!ORT_CHATTER.test(line)) original(...args);
    };
  }
  return async (run) => {
    if (active) throw new Error("a log capture is already running");
    const lines: string[] = [];
    active = lines;
    try {
      return { value: await run(), lines };
    } finally {
      active = null;
    }
  };
}
