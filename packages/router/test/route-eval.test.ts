import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, routeJsonlFile } from "../src/cli/route-jsonl-file.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const bin = resolve(here, "../bin/route-eval.ts");
const fixture = join(here, "fixtures/routing-small.jsonl");
const work = mkdtempSync(join(tmpdir(), "route-eval-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runCli(args: string[]) {
  // `node --import tsx` runs tsx in-process: half the start-up time of the tsx wrapper binary.
  const result = spawnSync(process.execPath, ["--import", "tsx", bin, ...args], { cwd: repoRoot, encoding: "utf8", timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

type Decision = { id: string; route: string; score: number };
const readDecisions = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Decision);

const fixtureLines = readFileSync(fixture, "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const toRoute = fixtureLines.filter((l) => !("human" in l));
const calibrationCount = fixtureLines.length - toRoute.length;

describe("route:eval CLI (spawned)", () => {
  const out = join(work, "cli.jsonl");
  let run: ReturnType<typeof runCli>;
  beforeAll(() => {
    run = runCli(["--data", fixture, "--budget", "0.25", "--out", out, "--seed", "11"]);
  }, 30_000);

  it("routes every unlabelled line within the budget and prints a summary", () => {
    expect(run.stderr).not.toMatch(/route:eval:/);
    expect(run.status).toBe(0);
    const decisions = readDecisions(out);
    expect(decisions.map((d) => d.id)).toEqual(toRoute.map((l) => l.id));
    const humans = decisions.filter((d) => d.route === "human");
    expect(humans).toHaveLength(Math.floor(0.25 * toRoute.length));
    for (const d of decisions) {
      expect(Object.keys(d).sort()).toEqual(["id", "route", "score"]);
      expect(d.score).toBeGreaterThanOrEqual(0);
      expect(d.score).toBeLessThanOrEqual(1);
    }
    expect(Math.min(...humans.map((d) => d.score))).toBeGreaterThanOrEqual(Math.max(...decisions.filter((d) => d.route === "judge").map((d) => d.score)));
    expect(JSON.parse(run.stdout)).toMatchObject({
      input: { lines: fixtureLines.length, calibration: calibrationCount, toRoute: toRoute.length },
      budget: { maxHuman: 5, human: 5, judge: toRoute.length - 5 },
      model: { trainedOn: calibrationCount },
      judgeHumanAgreement: { items: calibrationCount },
    });
  });

  it("rejects bad lines with their line numbers and exit code 2", () => {
    const lines = [JSON.stringify(fixtureLines[0]), "", "{oops", JSON.stringify({ ...fixtureLines[1], responses: [] }), JSON.stringify(fixtureLines[0])];
    const bad = join(work, "bad.jsonl");
    writeFileSync(bad, lines.join("\n"));
    const failed = runCli(["--data", bad, "--budget", "0.25", "--out", join(work, "never.jsonl")]);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/line 3: invalid JSON/);
    expect(failed.stderr).toMatch(/line 4: responses: expected at least 2 responses/);
    expect(failed.stderr).toMatch(/line 5: id "item-00" already used on line 1/);
    expect(failed.stdout).toBe("");
  }, 30_000);
});

describe("routeJsonlFile (the CLI's file-to-file step, in process)", () => {
  it("cannot be influenced by a gold field, and reproduces its output for a seed", async () => {
    // Even lines lose their gold label, odd lines get the opposite one.
    const tampered = fixtureLines.map(({ gold, ...rest }, i) => JSON.stringify(i % 2 === 0 ? rest : { ...rest, gold: gold === "a" ? "b" : "a" }));
    const tamperedPath = join(work, "tampered.jsonl");
    writeFileSync(tamperedPath, tampered.join("\n"));
    const route = async (dataPath: string, name: string) => {
      const outPath = join(work, name);
      const summary = await routeJsonlFile({ dataPath, outPath, budget: { fraction: 0.4 }, seed: 5 });
      return { summary, raw: readFileSync(outPath, "utf8") };
    };
    const original = await route(fixture, "a.jsonl");
    const again = await route(fixture, "b.jsonl");
    const withoutGold = await route(tamperedPath, "c.jsonl");
    expect(again.raw).toBe(original.raw);
    expect(withoutGold.raw).toBe(original.raw);
    expect({ ...withoutGold.summary, out: null }).toEqual({ ...original.summary, out: null });
  });

  it("routes lines whose judge gave no verdict to humans first, and counts them as disagreeing in the judge–human agreement", async () => {
    const silentIds = new Set(toRoute.slice(0, 3).map((l) => l.id as string));
    const firstCalibration = fixtureLines.find((l) => "human" in l)!;
    const lines = fixtureLines.map((l) =>
      silentIds.has(l.id as string) || l === firstCalibration ? JSON.stringify({ ...l, judge: { winner: null } }) : JSON.stringify(l),
    );
    const dataPath = join(work, "silent.jsonl");
    writeFileSync(dataPath, lines.join("\n"));
    const outPath = join(work, "silent-out.jsonl");
    const summary = await routeJsonlFile({ dataPath, outPath, budget: { count: 4 }, seed: 2 });
    const decisions = readDecisions(outPath) as (Decision & { noVerdict?: boolean; rank?: number })[];
    const silent = decisions.filter((d) => silentIds.has(d.id));
    expect(silent.map((d) => [d.route, d.score, d.noVerdict])).toEqual([...silentIds].map(() => ["human", 1, true]));
    expect(decisions.filter((d) => d.route === "human")).toHaveLength(4);
    expect(summary.humanRoutedBecause[0]).toEqual({ feature: "judge_no_verdict", items: 3 });
    // The silent calibration line is not trained on, but it counts against the judge's agreement.
    expect(summary.model.trainedOn).toBe(calibrationCount - 1);
    expect(summary.judgeHumanAgreement.items).toBe(calibrationCount);
  });

  it("reports an unreadable file as an input error", async () => {
    await expect(routeJsonlFile({ dataPath: join(work, "missing.jsonl"), outPath: join(work, "x.jsonl"), budget: 0.1, seed: 0 })).rejects.toThrow(InputError);
  });
});
