import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { getConfig } from "@arbiter/config";

/** The files of a pretrained model folder the API serves, by the name the browser asks for. */
export const PRETRAINED_FILES = ["model.onnx", "tokenizer.json", "config.json", "tokenizer_config.json"] as const;
export type PretrainedFileName = (typeof PRETRAINED_FILES)[number];

export interface PretrainedRewardModelLocation {
  /** The folder, absolute. */
  dir: string;
  /** Absolute paths of the files present (model.onnx may live in onnx/ as Hugging Face exports it). */
  files: Partial<Record<PretrainedFileName, string>>;
  /** Why the folder cannot be used, or null when it can. */
  problem: string | null;
}

/**
 * Finds a pretrained ONNX reward model folder inside ARBITER_REWARD_MODELS_DIR (default
 * `$ARBITER_DATA_DIR/reward-models`). `path` comes from a campaign's config and is relative to
 * that root; anything resolving outside it is refused. Needs `model.onnx` (or `onnx/model.onnx`)
 * and `tokenizer.json`; `config.json` and `tokenizer_config.json` are optional.
 */
export function locatePretrainedRewardModel(path: string): PretrainedRewardModelLocation {
  const config = getConfig();
  // Paths known only at run time: Turbopack must not trace them at build time.
  const configured = config.ARBITER_REWARD_MODELS_DIR ?? `${config.ARBITER_DATA_DIR}/reward-models`;
  const root = resolve(/* turbopackIgnore: true */ configured);
  const dir = resolve(/* turbopackIgnore: true */ root, path);
  const inside = relative(root, dir);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return { dir, files: {}, problem: "the path is outside the reward models folder" };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { dir, files: {}, problem: `no folder ${path} in the reward models folder` };
  const files: PretrainedRewardModelLocation["files"] = {};
  const file = (...parts: string[]) => {
    const p = join(dir, ...parts);
    return existsSync(p) && statSync(p).isFile() ? p : undefined;
  };
  files["model.onnx"] = file("onnx", "model.onnx") ?? file("model.onnx");
  files["tokenizer.json"] = file("tokenizer.json");
  files["config.json"] = file("config.json");
  files["tokenizer_config.json"] = file("tokenizer_config.json");
  for (const key of Object.keys(files) as PretrainedFileName[]) if (!files[key]) delete files[key];
  const missing = (["model.onnx", "tokenizer.json"] as const).filter((name) => !files[name]);
  return { dir, files, problem: missing.length > 0 ? `missing ${missing.join(" and ")}` : null };
}
