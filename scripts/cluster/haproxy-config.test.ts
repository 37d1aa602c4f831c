import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../lib/launch-app.ts";
import { balancerConfig, haproxyConfigPath } from "./cluster.ts";

describe("the HAProxy configuration of docs/DEPLOY.md", () => {
  const file = readFileSync(haproxyConfigPath, "utf8");

  it("is the file test:cluster runs: DEPLOY.md shows docs/deploy/haproxy.cfg verbatim", () => {
    const deploy = readFileSync(join(repoRoot, "docs/DEPLOY.md"), "utf8");
    const block = /```haproxy\n([\s\S]*?)```/.exec(deploy)?.[1];
    expect(block, "a ```haproxy block in docs/DEPLOY.md").toBeDefined();
    expect(block).toBe(file);
  });

  it("test:cluster changes only the bind address and the server lines, and adds a stats listener", () => {
    const config = balancerConfig(
      [
        { name: "app1", port: 3401 },
        { name: "app2", port: 3402 },
      ],
      3420,
      3419,
      file,
    );
    const lines = config.split("\n");
    expect(lines).toContain("    bind 127.0.0.1:3420");
    expect(lines.filter((l) => l.trim().startsWith("server "))).toEqual(["    server app1 127.0.0.1:3401 check", "    server app2 127.0.0.1:3402 check"]);
    const untouched = (text: string) => text.split("\n").filter((l) => !/^\s*(bind|server)\s/.test(l));
    expect(untouched(config).slice(0, untouched(file).length)).toEqual(untouched(file));
    expect(config).toContain("balance roundrobin");
    expect(config).toMatch(/listen stats\n\s+bind 127\.0\.0\.1:3419/);
  });

  it("refuses a configuration it cannot rewrite", () => {
    expect(() => balancerConfig([{ name: "app1", port: 1 }], 2, 3, "defaults\n    mode http\n")).toThrow(/bind line/);
  });
});
