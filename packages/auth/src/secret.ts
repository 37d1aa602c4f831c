import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { getConfig } from "@arbiter/config";

let cached: string | undefined;

/**
 * The key that signs sessions and encrypts stored secrets: ARBITER_SECRET_KEY, or else one
 * generated on first start and kept (mode 600) in the data folder — never in the database.
 */
export function getAppSecret(): string {
  if (cached) return cached;
  const config = getConfig();
  if (config.ARBITER_SECRET_KEY) return (cached = config.ARBITER_SECRET_KEY);
  const dir = resolve(config.ARBITER_DATA_DIR);
  const file = join(dir, "secret.key");
  if (existsSync(file)) return (cached = readFileSync(file, "utf8").trim());
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return (cached = secret);
}
