import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { tokenFor } from "../../../scripts/lib/fixtures.ts";
import { http } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";
import { buildOpenApiDocument } from "../lib/openapi/document.ts";
import { operations, type OperationSpec } from "../lib/openapi/operations.ts";

/**
 * The OpenAPI description served by the production build over HTTP: public, the generated document, rendered at
 * /docs/api under the strict CSP; and its examples meet the real server — documented request bodies are accepted,
 * and every field a documented answer shows is in the real answer. Skipped without a build.
 */

const ADMIN = { email: "openapi-admin@example.org", password: "openapi-admin-password" };

function op(method: string, path: string): OperationSpec {
  const found = operations.find((o) => o.method === method && o.path === path);
  if (!found) throw new Error(`no ${method} ${path} in the registry`);
  return found;
}
const bodyExample = (o: OperationSpec) => (o.body && "schema" in o.body ? (o.body.example as Record<string, unknown>) : undefined);
const keysOf = (value: unknown): string[] => (value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : []);
/** The fields the documented answer shows (the first element's for a list). */
function documentedKeys(o: OperationSpec, status: number): string[] {
  const example = o.responses[status]?.example;
  return keysOf(Array.isArray(example) ? example[0] : example);
}

describe.skipIf(!buildExists())("the OpenAPI description on the production build", () => {
  let database: AppDatabase;
  let app: RunningApp;
  let token: string;

  beforeAll(async () => {
    database = await appDatabase({ embedded: inject("embeddedDb"), prefix: "arbiter_openapi" });
    app = await launchApp({ database, adminEmail: ADMIN.email, adminPassword: ADMIN.password, rateLimit: "off", baseEnv: process.env });
    token = await tokenFor(app.baseUrl, ADMIN.email, ADMIN.password);
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it("GET /api/v1/openapi.json answers the generated OpenAPI 3.1 document to anyone", async () => {
    const result = await http<Record<string, unknown>>(app.baseUrl, "/api/v1/openapi.json");
    expect(result.status).toBe(200);
    expect(result.headers.get("content-type")).toMatch(/^application\/json/);
    expect(result.data.openapi).toMatch(/^3\.1\.\d+$/);
    expect(result.data).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it("the reference page renders operations without any script from elsewhere, under the nonce CSP", async () => {
    const result = await http<string>(app.baseUrl, "/docs/api");
    expect(result.status).toBe(200);
    expect(result.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(result.text).toContain("/api/v1/campaigns/{id}/export");
    expect(result.text).toContain("Export a dataset");
    const scripts = [...result.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.filter((src) => !src.startsWith("/"))).toEqual([]);
  });

  it("documented request examples are accepted, and documented answers show only fields the server sends", async () => {
    const create = op("POST", "/api/v1/campaigns");
    const created = await http<Record<string, unknown>>(app.baseUrl, "/api/v1/campaigns", { token, body: bodyExample(create) });
    expect(created.status, created.text).toBe(201);
    expect(documentedKeys(create, 201).filter((k) => !(k in created.data))).toEqual([]);
    const id = created.data.id as string;

    const calls: Array<{ o: OperationSpec; path: string; body?: unknown; status: number }> = [
      { o: op("GET", "/api/v1/me"), path: "/api/v1/me", status: 200 },
      { o: op("GET", "/api/v1/tokens"), path: "/api/v1/tokens", status: 200 },
      { o: op("GET", "/api/v1/campaigns"), path: "/api/v1/campaigns", status: 200 },
      { o: op("GET", "/api/v1/campaigns/{id}"), path: `/api/v1/campaigns/${id}`, status: 200 },
      { o: op("PATCH", "/api/v1/campaigns/{id}"), path: `/api/v1/campaigns/${id}`, body: bodyExample(op("PATCH", "/api/v1/campaigns/{id}")), status: 200 },
      {
        o: op("PUT", "/api/v1/campaigns/{id}/routing"),
        path: `/api/v1/campaigns/${id}/routing`,
        body: bodyExample(op("PUT", "/api/v1/campaigns/{id}/routing")),
        status: 200,
      },
      {
        o: op("POST", "/api/v1/invites"),
        path: "/api/v1/invites",
        body: { ...bodyExample(op("POST", "/api/v1/invites")), campaignId: id },
        status: 201,
      },
      {
        o: op("POST", "/api/v1/users"),
        path: "/api/v1/users",
        body: { ...bodyExample(op("POST", "/api/v1/users")), campaignId: id },
        status: 201,
      },
      { o: op("GET", "/api/v1/campaigns/{id}/members"), path: `/api/v1/campaigns/${id}/members`, status: 200 },
      { o: op("GET", "/api/v1/campaigns/{id}/stats"), path: `/api/v1/campaigns/${id}/stats`, status: 200 },
      { o: op("GET", "/api/v1/campaigns/{id}/routing"), path: `/api/v1/campaigns/${id}/routing`, status: 200 },
      { o: op("GET", "/api/v1/campaigns/{id}/reward-model"), path: `/api/v1/campaigns/${id}/reward-model`, status: 200 },
    ];
    const problems: string[] = [];
    for (const call of calls) {
      const result = await http(app.baseUrl, call.path, { token, method: call.o.method, ...(call.body !== undefined ? { body: call.body } : {}) });
      if (result.status !== call.status) {
        problems.push(`${call.o.method} ${call.o.path}: ${result.status} ${result.text.slice(0, 200)}`);
        continue;
      }
      const actual = Array.isArray(result.data) ? result.data[0] : result.data;
      if (Array.isArray(result.data) && result.data.length === 0) continue;
      const invented = documentedKeys(call.o, call.status).filter((k) => !keysOf(actual).includes(k));
      if (invented.length) problems.push(`${call.o.method} ${call.o.path}: documented fields the server does not send: ${invented.join(", ")}`);
    }
    expect(problems).toEqual([]);
    expect(app.unexpectedErrors()).toEqual([]);
  }, 120_000);
});
