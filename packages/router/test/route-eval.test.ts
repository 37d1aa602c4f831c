import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const bin = resolve(here, "../bin/route-eval.ts");
const fixture = join(here, "fixtures/routing-small.jsonl");
const work = mkdtempSync(join(tmpdir(), "route-eval-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runCli(args: string[]) {
  // `node --import tsx` runs tsx in-process: half the start-up time of the tsx wrapper binary.
  const result = spawnSync(process.execPath, ["--import", "tsx", bin, ...args], { cwd: repoRoot, encoding: "utf8", timeout: 15_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function route(dataPath: string, budget: string, seed = "3") {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}.jsonl`);
  const run = runCli(["--data", dataPath, "--budget", budget, "--out", out, "--seed", seed]);
  expect(run.stderr).not.toMatch(/route:eval:/);
  expect(run.status).toBe(0);
  const decisions = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; route: string; score: number });
  return { summary: JSON.parse(run.stdout) as Record<string, never>, decisions, raw: readFileSync(out, "utf8") };
}

const fixtureLines = readFileSync(fixture, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
const toRoute = fixtureLines.filter((l) => !("human" in l));

describe("route:eval CLI", () => {
  let original: ReturnType<typeof route>;
  beforeAll(() => {
    original = route(fixture, "0.25", "11");
  }, 20_000);

  it("routes every unlabelled line within the budget and prints a summary", () => {
    const { summary, decisions } = original;
    expect(decisions.map((d) => d.id)).toEqual(toRoute.map((l) => l.id));
    const humans = decisions.filter((d) => d.route === "human");
    expect(humans).toHaveLength(Math.floor(0.25 * toRoute.length));
    for (const d of decisions) {
      expect(Object.keys(d).sort()).toEqual(["id", "route", "score"]);
      expect(d.score).toBeGreaterThanOrEqual(0);
      expect(d.score).toBeLessThanOrEqual(1);
    }
    expect(Math.min(...humans.map((d) => d.score))).toBeGreaterThanOrEqual(Math.max(...decisions.filter((d) => d.route === "judge").map((d) => d.score)));
    expect(summary).toMatchObject({
      input: { lines: fixtureLines.length, calibration: fixtureLines.length - toRoute.length, toRoute: toRoute.length },
      budget: { maxHuman: 5, human: 5, judge: toRoute.length - 5 },
      model: { trainedOn: fixtureLines.length - toRoute.length },
    });
  }, 20_000);

  it("cannot be influenced by a gold field, and reproduces its output for a seed", () => {
    // Even lines lose their gold label, odd lines get the opposite one.
    const tampered = fixtureLines.map(({ gold, ...rest }, i) => JSON.stringify(i % 2 === 0 ? rest : { ...rest, gold: gold === "a" ? "b" : "a" }));
    const tamperedPath = join(work, "tampered.jsonl");
    writeFileSync(tamperedPath, tampered.join("\n"));
    expect(route(tamperedPath, "0.25", "11").raw).toBe(original.raw);
  }, 20_000);

  it("rejects bad lines with their line numbers and exit code 2", () => {
    const lines = [JSON.stringify(fixtureLines[0]), "", "{oops", JSON.stringify({ ...fixtureLines[1], responses: [] }), JSON.stringify(fixtureLines[0])];
    const bad = join(work, "bad.jsonl");
    writeFileSync(bad, lines.join("\n"));
    const run = runCli(["--data", bad, "--budget", "0.25", "--out", join(work, "never.jsonl")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/line 3: invalid JSON/);
    expect(run.stderr).toMatch(/line 4: responses: expected at least 2 responses/);
    expect(run.stderr).toMatch(/line 5: id "item-00" already used on line 1/);
    expect(run.stdout).toBe("");
  }, 20_000);

  it("rejects a missing file with exit code 2", () => {
    const missing = runCli(["--data", join(work, "missing.jsonl"), "--budget", "0.1", "--out", join(work, "x.jsonl")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
  }, 20_000);
});
