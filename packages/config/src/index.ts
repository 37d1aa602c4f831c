import { z } from "zod";

/** Every environment variable Arbiter reads, validated once. Nothing else reads process.env. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  ARBITER_DATA_DIR: z.string().min(1).default("./.arbiter"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ARBITER_BASE_URL: z.string().url().optional(),
  ARBITER_SECRET_KEY: z.string().min(32).optional(),
  ARBITER_ADMIN_EMAIL: z.string().email().optional(),
  ARBITER_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** auto: seed the demo on the first start on the embedded database. */
  ARBITER_DEMO: z.enum(["auto", "on", "off"]).default("auto"),
  ARBITER_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).optional(),
  /** Set by the launcher when the database is the embedded PGlite (one connection only). */
  ARBITER_EMBEDDED_DB: z.enum(["0", "1"]).default("0"),
  ARBITER_RATE_LIMIT: z.enum(["on", "off"]).default("on"),
  ARBITER_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type AppConfig = z.infer<typeof EnvSchema> & { baseUrl: string };

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  cached = { ...parsed.data, baseUrl: parsed.data.ARBITER_BASE_URL ?? `http://localhost:${parsed.data.PORT}` };
  return cached;
}

/** For tests and launchers that change the environment after the first read. */
export function resetConfigCache(): void {
  cached = undefined;
}
