import { z } from "zod";
import * as core from "@arbiter/core";
import { ErrorEnvelope, errorExamples, operations, TAGS, type OperationSpec } from "./operations";

/** A JSON value as OpenAPI writes it (schemas, examples). */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const OPENAPI_VERSION = "3.1.1";

/** The parts of OpenAPI 3.1 this document uses, for its readers (the reference page, the tests). */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
}
export interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: SchemaObject;
  example?: unknown;
}
export interface MediaTypeObject {
  schema?: SchemaObject;
  example?: unknown;
}
export interface ResponseObject {
  $ref?: string;
  description?: string;
  content?: Record<string, MediaTypeObject>;
}
export interface OperationObject {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, MediaTypeObject> };
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary?: string; description?: string };
  tags: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, SchemaObject>; responses: Record<string, ResponseObject>; securitySchemes: Record<string, unknown> };
}

/** Every zod schema exported by @arbiter/core, by its export name: the component names of the document. */
const coreSchemaNames = new Map<z.ZodType, string>();
for (const [name, value] of Object.entries(core)) if (value instanceof z.ZodType && !coreSchemaNames.has(value)) coreSchemaNames.set(value, name);

/** The name a schema has in `components.schemas`: its export from @arbiter/core, or one given beside it. */
export function schemaName(schema: z.ZodType, given?: string): string {
  const name = given ?? coreSchemaNames.get(schema);
  if (!name) throw new Error(`a schema in the OpenAPI registry is neither exported by @arbiter/core nor named (${schema.constructor.name})`);
  return name;
}

/**
 * zod 4's own JSON Schema (draft 2020-12, what OpenAPI 3.1 uses) of what a client sends (`io: "input"`: defaults are
 * optional, transforms show their input). Dates the API coerces from strings are ISO date-time strings.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonObject {
  const out = z.toJSONSchema(schema, {
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  }) as JsonObject;
  delete out.$schema;
  return out;
}

class Components {
  readonly schemas: Record<string, JsonObject> = {};
  private readonly seen = new Map<string, z.ZodType>();

  /** `{ $ref }` to the schema's component, added on first use; its own `$defs` become components of their own. */
  ref(schema: z.ZodType, given?: string): JsonObject {
    const name = schemaName(schema, given);
    const known = this.seen.get(name);
    if (known && known !== schema) throw new Error(`two different schemas are both named ${name} in the OpenAPI document`);
    if (!known) {
      this.seen.set(name, schema);
      const json = jsonSchemaOf(schema);
      const defs = (json.$defs ?? {}) as Record<string, JsonObject>;
      delete json.$defs;
      const rewrite = (value: Json): Json => {
        if (Array.isArray(value)) return value.map(rewrite);
        if (value && typeof value === "object")
          return Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/") ? `#/components/schemas/${name}_${v.slice(8)}` : rewrite(v),
            ]),
          );
        return value;
      };
      for (const [def, body] of Object.entries(defs)) this.schemas[`${name}_${def}`] = rewrite(body) as JsonObject;
      this.schemas[name] = rewrite(json) as JsonObject;
    }
    return { $ref: `#/components/schemas/${name}` };
  }
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Malformed request (the body is not JSON).",
  401: "No valid credentials (missing, expired or revoked token, or no session).",
  403: "Signed in, but this role or account may not do this (or a cookie-authenticated change from another origin).",
  404: "Not found — or not visible to the caller (a campaign they do not belong to).",
  409: "Conflicts with the current state (campaign status, a spent Idempotency-Key, a change that needs `confirm`).",
  413: "The body is over the route's limit (1 MB unless stated).",
  422: "The input does not validate; `details` lists each problem.",
  429: "Rate limited; retry after the `retry-after` header's seconds.",
  503: "The database is unreachable; retry after `retry-after`.",
};

function operationId(op: OperationSpec): string {
  if (op.operationId) return op.operationId;
  const words = op.path
    .split("/")
    .slice(3)
    .map((s) => (s.startsWith("{") ? "by-" + s.slice(1, -1) : s));
  return [op.method.toLowerCase(), ...words]
    .join("-")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join("");
}

/** The parameters an object schema of the query string stands for, one per property. */
function queryParameters(schema: z.ZodType, example: Record<string, string> | undefined): JsonObject[] {
  const json = jsonSchemaOf(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: "query",
      required: required.has(name),
      ...(description !== undefined ? { description } : {}),
      schema: rest,
      ...(example?.[name] !== undefined ? { example: example[name] } : {}),
    };
  });
}

function buildOperation(op: OperationSpec, components: Components): JsonObject {
  const parameters: JsonObject[] = [];
  for (const name of pathParams(op.path)) {
    const param = op.pathParams?.[name];
    if (!param) throw new Error(`${op.method} ${op.path}: path parameter {${name}} is not described`);
    const schema = param.schema instanceof z.ZodType ? jsonSchemaOf(param.schema) : ((param.schema ?? { type: "string" }) as JsonObject);
    parameters.push({ name, in: "path", required: true, description: param.description, schema, ...(param.example ? { example: param.example } : {}) });
  }
  if (op.query) parameters.push(...queryParameters(op.query.schema, op.query.example));
  for (const p of op.parameters ?? []) {
    const schema = p.schema instanceof z.ZodType ? jsonSchemaOf(p.schema) : (p.schema as JsonObject);
    parameters.push({
      name: p.name,
      in: p.in,
      required: p.required ?? false,
      description: p.description,
      schema,
      ...(p.example !== undefined ? { example: p.example as Json } : {}),
    });
  }

  let requestBody: JsonObject | undefined;
  if (op.body && "schema" in op.body) {
    let schema = components.ref(op.body.schema, op.body.name);
    if (op.body.properties) {
      // A property the body schema leaves open (`config: unknown`) that the domain validates with a schema of its own.
      const properties = Object.fromEntries(
        Object.entries(op.body.properties).map(([prop, s]) => [prop, { ...components.ref(s.schema), description: s.description }]),
      );
      schema = { allOf: [schema, { type: "object", properties }] };
    }
    requestBody = {
      required: op.body.required ?? true,
      content: { "application/json": { schema, example: op.body.example as Json } },
    };
  } else if (op.body) {
    requestBody = {
      required: true,
      description: op.body.description,
      content: Object.fromEntries(
        op.body.contentTypes.map((type, i): [string, JsonObject] => [
          type,
          i === 0 ? { schema: { type: "string" }, example: op.body!.example as Json } : { schema: { type: "string" } },
        ]),
      ),
    };
  }

  const responses: JsonObject = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const content =
      response.contentType === undefined
        ? undefined
        : {
            [response.contentType]: {
              ...(response.contentType.startsWith("application/json")
                ? {}
                : { schema: { type: "string", ...(response.binary ? { contentMediaType: response.contentType } : {}) } }),
              ...(response.example !== undefined ? { example: response.example as Json } : {}),
            },
          };
    responses[status] = {
      description: response.description,
      ...(response.headers
        ? { headers: Object.fromEntries(Object.entries(response.headers).map(([h, d]) => [h, { description: d, schema: { type: "string" } }])) }
        : {}),
      ...(content ? { content } : {}),
    };
  }
  for (const status of op.errors) responses[String(status)] = { $ref: `#/components/responses/Error${status}` };

  const security: Json[] = op.auth === "anonymous" ? [] : [{ bearerToken: [] }, { sessionCookie: [] }];
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, `**Who:** ${op.who}.`].filter(Boolean).join("\n\n"),
    security,
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
    ...(op.servedBy ? { "x-arbiter-served-by": op.servedBy } : {}),
  };
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/** The OpenAPI 3.1 description of Arbiter's API, generated from the registry (operations.ts) and the zod schemas it names. */
export function buildOpenApiDocument(): OpenApiDocument {
  const components = new Components();
  const paths: Record<string, JsonObject> = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    const method = op.method.toLowerCase();
    if (item[method]) throw new Error(`${op.method} ${op.path} is in the OpenAPI registry twice`);
    item[method] = buildOperation(op, components);
  }
  const errorRef = components.ref(ErrorEnvelope, "Error");
  const errorResponses = Object.fromEntries(
    Object.entries(ERROR_DESCRIPTIONS).map(([status, description]) => [
      `Error${status}`,
      { description, content: { "application/json": { schema: errorRef, example: errorExamples[Number(status)] as Json } } },
    ]),
  );
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: "Arbiter API",
      version: "1",
      summary: "Human preference data: campaigns, items, annotation, judgments, exports.",
      description:
        'JSON over HTTP under `/api/v1`. Errors are `{"error": {"code", "message", "details"?}}` with a 4xx status for a client\'s mistake. ' +
        "Scripts authenticate with `Authorization: Bearer <token>` (`POST /api/v1/tokens`); the browser with its session cookie. " +
        "Cookie-authenticated changes must come from the app's own origin. The reference page is at `/docs/api`.",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: "/", description: "This server" }],
    tags: TAGS.map((t) => ({ name: t.name, description: t.description })),
    paths,
    components: {
      schemas: components.schemas,
      responses: errorResponses,
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "An API token (`arb_…`) from `POST /api/v1/tokens` or the account page." },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "better-auth.session_token",
          description: "The browser's session after signing in on `/login` (`__Secure-` prefixed over HTTPS). Changes must send a same-origin `Origin`.",
        },
      },
    },
  } satisfies JsonObject as unknown as OpenApiDocument;
}

let cached: OpenApiDocument | undefined;
/** Built once per process: the registry and the schemas do not change while the server runs. */
export function openApiDocument(): OpenApiDocument {
  return (cached ??= buildOpenApiDocument());
}
