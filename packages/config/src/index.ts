import { HostRuleError, parseHostRules, type HostRule } from "@arbiter/outbound";
import { z } from "zod";
import { parseAddressRanges, type AddressRange } from "./trusted-proxies.ts";

export { parseAddressRanges, type AddressRange } from "./trusted-proxies.ts";
export { CLIENT_ADDRESS_HEADER, isClientAddressStamped, markClientAddressStamped } from "./client-address-header.ts";

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
  /**
   * Web server processes sharing the port (Node's cluster module). "auto": 1 on the embedded
   * database (it has one connection), else half the CPUs, at most 8. The job worker
   * (ARBITER_WORKER=on) runs in the first process only.
   */
  ARBITER_WEB_PROCESSES: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(64)]).default("auto"),
  /**
   * "on": the web server answers `GET …/tasks/next` and `POST …/judgment` itself (apps/web/lib/lean-routes.ts,
   * the same domain code and checks without Next.js's request layers); "off": Next.js answers them as every other route.
   */
  ARBITER_LEAN_ROUTES: z.enum(["on", "off"]).default("on"),
  /** Diagnostics: every web server process writes a V8 CPU profile (`*.cpuprofile`) into this folder when it stops. */
  ARBITER_CPU_PROFILE_DIR: z.string().min(1).optional(),
  /** Background jobs (judge calls, routing): "on" runs a worker inside the web server; "off" leaves them to `npm run worker`. */
  ARBITER_WORKER: z.enum(["on", "off"]).default("on"),
  /** Jobs one worker runs at once (judge HTTP calls in flight; database work stays short). */
  ARBITER_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /** How often an idle worker looks for due jobs. */
  ARBITER_WORKER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** How long a claimed job is leased before another worker may take it over (extended while it runs). */
  ARBITER_JOB_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /**
   * On SIGTERM the web server first answers readiness (`/api/health`) with 503 for this long while
   * still serving, so a load balancer's health checks take it out of rotation before the listener
   * closes (set it to the balancer's check interval × its fall count). 0 = close at once.
   */
  ARBITER_SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** On SIGTERM, how long requests in flight and running jobs get to finish before connections are cut and jobs released. */
  ARBITER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Set by `next build`; no worker starts while building. */
  NEXT_PHASE: z.string().optional(),
  /** Folder of pretrained ONNX reward models; a campaign's `rewardModel: {kind: "onnx", path}` names a folder inside it (default $ARBITER_DATA_DIR/reward-models). */
  ARBITER_REWARD_MODELS_DIR: z.string().min(1).optional(),
  /** Every API token expires: after this many days by default, and never later (a token request may ask for less). */
  ARBITER_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /**
   * Hosts the server may send requests to (the LLM judge, any OpenAI-compatible endpoint):
   * comma-separated `host` or `host:port`. Unset: any public host, never a loopback, private or
   * link-local one. Set: only these, at whatever address they resolve to.
   */
  ARBITER_ALLOWED_HOSTS: z.string().optional(),
  /** Environment variables a judge's API key may be read from (`{"env": NAME}`), comma-separated; none when unset. */
  ARBITER_JUDGE_KEY_ENV_ALLOWLIST: z.string().optional(),
  /**
   * Reverse proxies whose X-Forwarded-For is believed (IPs and CIDR ranges, comma-separated).
   * Without it, the client address is the connection's own peer address and forwarded headers are ignored.
   */
  ARBITER_TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const { invalid } = parseAddressRanges(value);
      if (invalid.length > 0) ctx.addIssue({ code: "custom", message: `not an IP address or CIDR range: ${invalid.join(", ")}` });
    }),
});

export type AppConfig = z.infer<typeof EnvSchema> & {
  baseUrl: string;
  /** ARBITER_ALLOWED_HOSTS parsed; null when unset (public hosts only). */
  allowedHosts: HostRule[] | null;
  /** ARBITER_JUDGE_KEY_ENV_ALLOWLIST parsed. */
  judgeKeyEnvAllowlist: string[];
  /** ARBITER_TRUSTED_PROXIES parsed. */
  trustedProxies: AddressRange[];
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseEnvAllowlist(list: string | undefined): string[] {
  const names = (list ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  for (const name of names) {
    if (!ENV_NAME.test(name)) throw new Error(`ARBITER_JUDGE_KEY_ENV_ALLOWLIST: "${name}" is not an environment variable name`);
    if (RESERVED_ENV.test(name)) throw new Error(`ARBITER_JUDGE_KEY_ENV_ALLOWLIST: ${name} is one of Arbiter's own variables and can never be sent to a judge`);
  }
  return [...new Set(names)];
}

function parseAllowedHosts(list: string | undefined): HostRule[] | null {
  try {
    return parseHostRules(list);
  } catch (error) {
    if (error instanceof HostRuleError) throw new Error(`ARBITER_ALLOWED_HOSTS: ${error.message}`, { cause: error });
    throw error;
  }
}

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  let derived: Pick<AppConfig, "allowedHosts" | "judgeKeyEnvAllowlist">;
  try {
    derived = {
      allowedHosts: parseAllowedHosts(parsed.data.ARBITER_ALLOWED_HOSTS),
      judgeKeyEnvAllowlist: parseEnvAllowlist(parsed.data.ARBITER_JUDGE_KEY_ENV_ALLOWLIST),
    };
  } catch (error) {
    throw new Error(`Invalid environment: ${(error as Error).message}`, { cause: error });
  }
  cached = {
    ...parsed.data,
    ...derived,
    baseUrl: parsed.data.ARBITER_BASE_URL ?? `http://localhost:${parsed.data.PORT}`,
    trustedProxies: parseAddressRanges(parsed.data.ARBITER_TRUSTED_PROXIES).ranges,
  };
  return cached;
}

/**
 * Names Arbiter's own settings use: a judge API key referenced as `{"env": NAME}` may not be one
 * of them, or a campaign admin could send the database URL or the app secret to a judge endpoint.
 */
const RESERVED_ENV = /^(ARBITER_|DATABASE_URL$|NODE_|NEXT_|npm_)/;

/**
 * An environment variable named at run time by a campaign's judge settings (its API key). Read
 * here because nothing else reads process.env; only names in ARBITER_JUDGE_KEY_ENV_ALLOWLIST
 * are returned, and never one of Arbiter's own variables.
 */
export function readReferencedEnv(name: string): string | undefined {
  if (!ENV_NAME.test(name) || RESERVED_ENV.test(name) || !isAllowedKeyEnv(name)) return undefined;
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function isReservedEnvName(name: string): boolean {
  return RESERVED_ENV.test(name);
}

/** Whether a judge key may be read from this variable: the admin listed it in ARBITER_JUDGE_KEY_ENV_ALLOWLIST. */
export function isAllowedKeyEnv(name: string): boolean {
  return getConfig().judgeKeyEnvAllowlist.includes(name);
}

/** For tests and launchers that change the environment after the first read. */
export function resetConfigCache(): void {
  cached = undefined;
}

/**
 * For tests and scripts that run the server's code in one process: sets (or, with undefined,
 * removes) environment variables and re-reads the config, e.g. `ARBITER_ALLOWED_HOSTS` to let
 * the judge reach a test server on 127.0.0.1. Returns a function that restores what was there.
 */
export function overrideEnvironment(vars: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfigCache();
  };
  apply(vars);
  return () => apply(previous);
}
