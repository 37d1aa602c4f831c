import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createHash } from "node:crypto";

// `prisma generate` needs no schema engine, but the CLI insists on a binary path; the native
// engine cannot be downloaded here (ENVIRONMENT.md), so point it at a harmless executable.
// Skipped when the schema has not changed since the last generation.
const schema = readFileSync("prisma/schema.prisma", "utf8");
const hash = createHash("sha256").update(schema).digest("hex");
const stamp = "packages/db/src/generated/.schema-hash";
if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash && existsSync("packages/db/src/generated/client.ts")) {
  process.exit(0);
}
const result = spawnSync("npx", ["prisma", "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
if (result.status !== 0) process.exit(result.status ?? 1);
mkdirSync("packages/db/src/generated", { recursive: true });
writeFileSync(stamp, hash);
