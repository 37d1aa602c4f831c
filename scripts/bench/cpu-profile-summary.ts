import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Where a server's CPU went, from the V8 CPU profiles `annotate-load.ts --profile DIR` writes:
 *   npx tsx scripts/bench/cpu-profile-summary.ts DIR
 * Self time grouped by who runs it (GC, Next.js, React's server renderer, Prisma, pg, our own code
 * compiled into .next, Node internals, idle) and the top self-time functions of the busiest profile.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function groupOf(frame: ProfileNode["callFrame"]): string {
  const { functionName: name, url } = frame;
  if (name === "(garbage collector)") return "GC";
  if (name === "(idle)") return "idle";
  if (name === "(program)") return "V8 / native (program)";
  if (url.includes("node_modules/next/")) return "Next.js";
  if (url.includes("react-dom") || url.includes("react-server")) return "React";
  if (url.includes("@prisma") || url.includes("/generated/") || url.includes("prisma")) return "Prisma";
  if (url.includes("node_modules/pg") || url.includes("pg-protocol") || url.includes("pg-pool")) return "pg driver";
  if (url.includes("zod")) return "zod";
  if (url.includes("better-auth") || url.includes("better-call")) return "better-auth";
  if (url.includes(".next/server")) return "app code (.next bundle)";
  if (url.startsWith("node:") || url === "") return "Node internals";
  if (url.includes("node_modules")) return "other node_modules";
  return "other";
}

const dir = process.argv[2];
if (!dir) throw new Error("usage: cpu-profile-summary.ts DIR");
const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
const summaries = files.map((file) => {
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const group = groupOf(frame);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const key = `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*node_modules\//, "").replace(/^.*\.next\//, ".next/")}:${frame.lineNumber}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const busyMs = ([...groups].filter(([g]) => g !== "idle").reduce((a, [, us]) => a + us, 0) / 1000) | 0;
  return { file, wallMs, busyMs, groups, functions };
});
for (const s of summaries.sort((a, b) => b.busyMs - a.busyMs)) {
  console.log(`\n${s.file}: wall ${(s.wallMs / 1000).toFixed(1)} s, on CPU ${(s.busyMs / 1000).toFixed(1)} s`);
  const busy = [...s.groups].filter(([g]) => g !== "idle").reduce((a, [, us]) => a + us, 0);
  for (const [group, us] of [...s.groups].sort((a, b) => b[1] - a[1]))
    console.log(`  ${group.padEnd(28)} ${(us / 1000).toFixed(0).padStart(8)} ms${group === "idle" ? "" : `  ${((100 * us) / busy).toFixed(1)} % of CPU`}`);
}
const busiest = summaries.sort((a, b) => b.busyMs - a.busyMs)[0];
if (busiest) {
  console.log(`\ntop self time, ${busiest.file}:`);
  for (const [fn, us] of [...busiest.functions].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${fn.slice(0, 140)}`);
}
