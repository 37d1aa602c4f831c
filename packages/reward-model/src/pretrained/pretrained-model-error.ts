export type PretrainedModelErrorReason = "bad_tokenizer" | "bad_config" | "bad_model" | "bad_output";

/** A pretrained reward model folder (ONNX model, tokenizer, config) that cannot be used, and why. */
export class PretrainedModelError extends Error {
  constructor(
    readonly reason: PretrainedModelErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PretrainedModelError";
  }
}
