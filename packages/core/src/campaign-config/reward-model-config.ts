import { z } from "zod";

/**
 * Where a campaign's hints come from: `trained` (default) — a reward model trained on the
 * campaign's own votes; `onnx` — a pretrained ONNX sequence-classification model in a folder
 * the server's operator placed under ARBITER_REWARD_MODELS_DIR (`path` is relative to it, so a
 * campaign can never point the server at any other file).
 */
export const RewardModelConfig = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("trained") }).strict(),
  z
    .object({
      kind: z.literal("onnx"),
      path: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .regex(
          /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/,
          "a folder name inside ARBITER_REWARD_MODELS_DIR (letters, digits, . _ - and /; no ..)",
        ),
    })
    .strict(),
]);
export type RewardModelConfig = z.infer<typeof RewardModelConfig>;
