import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { discoverRoutes } from "../../test/routes";
import { buildOpenApiDocument, jsonSchemaOf, pathParams, schemaName } from "./document";
import { ErrorEnvelope, errorExamples, EXCLUDED_ROUTES, operations, TAGS } from "./operations";

/**
 * The OpenAPI description against what is on disk and what the routes validate with: every route file × method has an
 * entry (or is excluded with a reason), the examples pass the very zod schemas the domain parses with, and the
 * generated document has OpenAPI 3.1's structure with every `$ref` resolving.
 */

const repoRoot = resolve(import.meta.dirname, "../../../..");
const routes = discoverRoutes(repoRoot);
const doc = buildOpenApiDocument();
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** `/api/v1/campaigns/{id}` → the pattern routes.ts gives its file: `/api/v1/campaigns/:id`. */
const asPattern = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");
const key = (method: string, pattern: string) => `${method} ${pattern}`;

describe("the OpenAPI registry covers the routes on disk", () => {
  it("has an entry for every route file × method, and none for a route that is gone", () => {
    expect(routes.length).toBeGreaterThan(40);
    const onDisk = routes.filter((r) => !(r.pattern in EXCLUDED_ROUTES)).flatMap((r) => r.methods.map((m) => key(m, r.pattern)));
    const documented = operations.filter((op) => !op.servedBy).map((op) => key(op.method, asPattern(op.path)));
    const missing = onDisk.filter((k) => !documented.includes(k));
    const stale = documented.filter((k) => !onDisk.includes(k));
    expect(missing, "route methods with no entry in apps/web/lib/openapi/operations.ts — add one (summary, who, schemas, examples)").toEqual([]);
    expect(stale, "entries for routes that no longer exist").toEqual([]);
    expect(new Set(documented).size, "an operation listed twice").toBe(documented.length);
  });

  it("excludes only routes that exist, each with a reason", () => {
    for (const [pattern, reason] of Object.entries(EXCLUDED_ROUTES)) {
      expect(routes.some((r) => r.pattern === pattern)).toBe(true);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  it("documents a body where the handler reads JSON, query parameters where it reads the query, and who needs no credentials", () => {
    const problems: string[] = [];
    for (const route of routes) {
      for (const method of route.methods) {
        const op = operations.find((o) => o.method === method && asPattern(o.path) === route.pattern);
        if (!op) continue;
        if (route.readsJson.includes(method) && !(op.body && "schema" in op.body)) problems.push(`${method} ${route.pattern}: reads JSON, documents no body`);
        if (!route.readsJson.includes(method) && op.body && "schema" in op.body)
          problems.push(`${method} ${route.pattern}: documents a JSON body it never reads`);
        if (route.readsQuery && !op.query && !op.parameters?.some((p) => p.in === "query"))
          problems.push(`${method} ${route.pattern}: reads the query, documents none`);
        // `anonymous: true` is read per file: a file without it has no anonymous handler; a one-handler file with it, nothing else.
        if (route.usesApiRoute && op.auth === "anonymous" && !route.anonymous)
          problems.push(`${method} ${route.pattern}: documented anonymous, the route reads credentials`);
        if (route.usesApiRoute && route.anonymous && route.methods.length === 1 && op.auth !== "anonymous")
          problems.push(`${method} ${route.pattern}: the route takes no credentials, documented as needing them`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("the documented examples validate against the zod schemas the routes use", () => {
  for (const op of operations) {
    it(`${op.method} ${op.path}`, () => {
      if (op.body && "schema" in op.body) {
        const parsed = op.body.schema.safeParse(op.body.example);
        expect(parsed.error?.issues ?? [], "request body example").toEqual([]);
        for (const [prop, { schema }] of Object.entries(op.body.properties ?? {})) {
          const value = (op.body.example as Record<string, unknown>)[prop];
          if (value !== undefined) expect(schema.safeParse(value).error?.issues ?? [], `example's ${prop}`).toEqual([]);
        }
      }
      if (op.query?.example) expect(op.query.schema.safeParse(op.query.example).error?.issues ?? [], "query example").toEqual([]);
      for (const [name, param] of [...Object.entries(op.pathParams ?? {}), ...(op.parameters ?? []).map((p) => [p.name, p] as const)]) {
        if (param.schema instanceof z.ZodType && param.example !== undefined)
          expect(param.schema.safeParse(param.example).error?.issues ?? [], `parameter ${name}'s example`).toEqual([]);
      }
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    });
  }

  it("error examples are the error envelope", () => {
    for (const example of Object.values(errorExamples)) expect(ErrorEnvelope.safeParse(example).success).toBe(true);
  });

  it("a wrong example is caught (the check can fail)", () => {
    const op = operations.find((o) => o.method === "POST" && o.path === "/api/v1/campaigns")!;
    expect(op.body && "schema" in op.body && op.body.schema.safeParse({ ...(op.body.example as object), taskType: "triplewise" }).success).toBe(false);
  });
});

/** Every `$ref` in the document, with where it is. */
function refs(value: unknown, at = "#"): Array<{ at: string; ref: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" ? [{ at, ref: v }] : refs(v, `${at}/${k}`)));
  return [];
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), root);
}

describe("the generated document is OpenAPI 3.1", () => {
  it("has the top-level fields", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe("string");
    expect(typeof doc.info.version).toBe("string");
    expect(Object.keys(doc.paths).length).toBeGreaterThan(40);
    expect(Object.keys(doc.components.schemas).length).toBeGreaterThan(10);
  });

  it("every $ref resolves, and points at a component", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(50);
    const broken = all.filter(({ ref }) => !ref.startsWith("#/components/") || resolvePointer(doc, ref) === undefined);
    expect(broken).toEqual([]);
    expect(Object.keys(doc.components.schemas).filter((n) => !/^[A-Za-z0-9._-]+$/.test(n))).toEqual([]);
  });

  it("paths, operations, parameters and responses are well formed", () => {
    const problems: string[] = [];
    const ids = new Set<string>();
    const tags = new Set(doc.tags.map((t) => t.name));
    const schemes = new Set(Object.keys(doc.components.securitySchemes));
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith("/")) problems.push(`${path}: does not start with /`);
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!METHODS.includes(method)) {
          problems.push(`${where}: not an HTTP method`);
          continue;
        }
        if (typeof op.operationId !== "string" || ids.has(op.operationId)) problems.push(`${where}: missing or repeated operationId ${op.operationId}`);
        ids.add(op.operationId ?? "");
        if (!op.summary) problems.push(`${where}: no summary`);
        for (const tag of op.tags ?? []) if (!tags.has(tag)) problems.push(`${where}: undeclared tag ${tag}`);
        for (const requirement of op.security ?? [])
          for (const name of Object.keys(requirement)) if (!schemes.has(name)) problems.push(`${where}: unknown scheme ${name}`);
        const params = op.parameters ?? [];
        const inPath = params.filter((p) => p.in === "path");
        for (const name of pathParams(path))
          if (!inPath.some((p) => p.name === name && p.required === true)) problems.push(`${where}: {${name}} has no required path parameter`);
        for (const p of inPath) if (!pathParams(path).includes(p.name)) problems.push(`${where}: path parameter ${p.name} is not in the path`);
        for (const p of params) {
          if (!["path", "query", "header", "cookie"].includes(p.in)) problems.push(`${where}: parameter ${p.name} in ${p.in}`);
          if (!p.schema) problems.push(`${where}: parameter ${p.name} has no schema`);
        }
        const seen = new Set(params.map((p) => `${p.in}:${p.name}`));
        if (seen.size !== params.length) problems.push(`${where}: a parameter twice`);
        if (op.requestBody && !Object.keys(op.requestBody.content ?? {}).length) problems.push(`${where}: request body without content`);
        const responses = Object.entries(op.responses ?? {});
        if (!responses.length) problems.push(`${where}: no responses`);
        if (!responses.some(([status]) => /^2\d\d$/.test(status))) problems.push(`${where}: no success response`);
        for (const [status, response] of responses) {
          if (!/^[1-5]\d\d$/.test(status)) problems.push(`${where}: response key ${status}`);
          if (!response.$ref && typeof response.description !== "string") problems.push(`${where} ${status}: no description`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("request schemas are zod's own JSON Schema of the schemas the domain validates with", () => {
    for (const op of operations) {
      if (!(op.body && "schema" in op.body)) continue;
      expect(doc.components.schemas[schemaName(op.body.schema, op.body.name)]).toEqual(jsonSchemaOf(op.body.schema));
    }
  });

  it("query parameters are the properties of the query schemas", () => {
    const exportQuery = doc.paths["/api/v1/campaigns/{id}/export"]?.get?.parameters ?? [];
    expect(exportQuery.find((p) => p.name === "format")?.schema?.enum).toEqual(["trl", "rankings", "rationales", "raw"]);
    expect(exportQuery.find((p) => p.name === "since")?.schema).toEqual({ type: "string", format: "date-time" });
  });

  it("groups every operation under a declared tag, each tag used", () => {
    const used = new Set(operations.map((o) => o.tag));
    expect(TAGS.filter((t) => !used.has(t.name)).map((t) => t.name)).toEqual([]);
  });
});
