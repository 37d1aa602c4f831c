import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { buildExists, launchApp, repoRoot, type RunningApp } from "../../../scripts/lib/launch-app.ts";

/**
 * The Python quick start (`examples/python/quickstart.py`, standard library only) against the
 * production build over HTTP: token, campaign, import, annotator, start, annotate, export, read.
 * Skipped without a build or without python3.
 */
const python = spawnSync("python3", ["--version"]).status === 0;
const ADMIN = { email: "py-admin@example.org", password: "py-admin-password-1" };

describe.skipIf(!buildExists() || !python)("the Python quick start against the production build", () => {
  let database: AppDatabase;
  let app: RunningApp;
  const out = mkdtempSync(join(tmpdir(), "arbiter-py-"));

  beforeAll(async () => {
    database = await appDatabase({ embedded: inject("embeddedDb"), prefix: "arbiter_python" });
    app = await launchApp({ database, adminEmail: ADMIN.email, adminPassword: ADMIN.password, rateLimit: "off", baseEnv: process.env });
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    rmSync(out, { recursive: true, force: true });
  });

  it("runs from token to a loadable dataset folder", () => {
    const folder = join(out, "dataset");
    const run = spawnSync(
      "python3",
      [join(repoRoot, "examples/python/quickstart.py"), "--base", app.baseUrl, "--email", ADMIN.email, "--password", ADMIN.password, "--out", folder],
      { encoding: "utf8", timeout: 120_000 },
    );
    expect(run.stderr + run.stdout).not.toMatch(/Traceback|->\s\d{3}:/);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { rows: number; first: { prompt: unknown; margin: number } };
    expect(summary.rows).toBe(2);
    expect(summary.first.margin).toBe(3);
    expect(existsSync(join(folder, "data/train-00000-of-00001.parquet"))).toBe(true);
    expect(readFileSync(join(folder, "README.md"), "utf8")).toContain("  - name: margin\n    dtype: float64\n");
    expect(app.unexpectedErrors()).toEqual([]);
  }, 180_000);
});
