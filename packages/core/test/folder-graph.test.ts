import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Core's folders form a graph through their relative imports (type imports included: a cycle of
 * types is still two folders that must change together). It must have no cycles, and no use case
 * may reach into another folder's store access: SQL is in store/, which imports no use case.
 */
const src = resolve(import.meta.dirname, "../src");

/** The package's entry points import every folder by design; they are not part of the graph. */
const ENTRY_POINTS = new Set(["index.ts", "client.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") && !ENTRY_POINTS.has(relative(src, path)) ? [path] : [];
  });
}

const folderOf = (file: string) => (relative(src, file).split("/").length > 1 ? relative(src, file).split("/")[0]! : "(root)");

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(src)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const match of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const to = folderOf(resolve(dirname(file), match[1]!));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

describe("core's folder graph", () => {
  const graph = folderGraph();

  it("sees the folders and their imports", () => {
    expect(graph.get("annotation")?.has("store")).toBe(true);
    expect(
      cycles(
        new Map([
          ["a", new Set(["b"])],
          ["b", new Set(["a"])],
        ]),
      ),
    ).toEqual([["a", "b"]]);
  });

  it("has no cycles between folders", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("keeps store/ below the use cases: it imports only errors, types and other store files", () => {
    const storeImports = [...(graph.get("store") ?? [])].filter((folder) => folder !== "(root)");
    for (const folder of storeImports) {
      for (const file of sourceFiles(join(src, "store"))) {
        for (const match of readFileSync(file, "utf8").matchAll(/^import (?!type)[^;]*from\s*"(\.{1,2}\/[^"]+)"/gm)) {
          if (folderOf(resolve(dirname(file), match[1]!)) === folder) expect.soft(`${relative(src, file)} imports ${match[1]} at run time`).toBe("");
        }
      }
    }
  });

  it("keeps jobs/ a queue library: it imports no job handler", () => {
    expect([...(graph.get("jobs") ?? [])].filter((folder) => !["store", "(root)"].includes(folder))).toEqual([]);
  });
});
