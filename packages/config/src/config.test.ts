import { afterEach, describe, expect, it } from "vitest";
import { getConfig, overrideEnvironment, readReferencedEnv } from "./index.ts";

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

describe("outgoing-request settings", () => {
  it("parses ARBITER_ALLOWED_HOSTS; unset or blank is no list", () => {
    restore = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: "api.example.com, 127.0.0.1:8000", ARBITER_JUDGE_KEY_ENV_ALLOWLIST: undefined });
    expect(getConfig().allowedHosts).toEqual([
      { hostname: "api.example.com", port: null, text: "api.example.com" },
      { hostname: "127.0.0.1", port: 8000, text: "127.0.0.1:8000" },
    ]);
    restore();
    restore = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: " ", ARBITER_JUDGE_KEY_ENV_ALLOWLIST: undefined });
    expect(getConfig().allowedHosts).toBeNull();
  });

  it.each(["https://api.example.com", "api.example.com/v1", "*.example.com", "host:99999"])("refuses ARBITER_ALLOWED_HOSTS=%s at start", (value) => {
    restore = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: value });
    expect(() => getConfig()).toThrow(/Invalid environment: ARBITER_ALLOWED_HOSTS: /);
  });

  it("reads a judge key only from a variable in ARBITER_JUDGE_KEY_ENV_ALLOWLIST, never one of Arbiter's own", () => {
    restore = overrideEnvironment({ ARBITER_JUDGE_KEY_ENV_ALLOWLIST: "MY_JUDGE_KEY", MY_JUDGE_KEY: "sk-1", OTHER_KEY: "sk-2" });
    expect(getConfig().judgeKeyEnvAllowlist).toEqual(["MY_JUDGE_KEY"]);
    expect(readReferencedEnv("MY_JUDGE_KEY")).toBe("sk-1");
    expect(readReferencedEnv("OTHER_KEY")).toBeUndefined();
    expect(readReferencedEnv("PATH")).toBeUndefined();
  });

  it.each(["ARBITER_SECRET_KEY", "DATABASE_URL", "NODE_OPTIONS", "npm_config_registry", "not-a-name"])(
    "refuses %s in ARBITER_JUDGE_KEY_ENV_ALLOWLIST at start",
    (name) => {
      restore = overrideEnvironment({ ARBITER_JUDGE_KEY_ENV_ALLOWLIST: `OPENAI_API_KEY,${name}` });
      expect(() => getConfig()).toThrow(/Invalid environment: ARBITER_JUDGE_KEY_ENV_ALLOWLIST: /);
    },
  );
});
