import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { Brand } from "@/components/brand";
import { getPageActor } from "@/lib/actor";
import { openApiDocument, type OpenApiDocument, type OperationObject, type SchemaObject } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API reference · Arbiter" };

/* The reference renders the OpenAPI document (lib/openapi) on the server: text only, through React (escaped), no
   script of its own and nothing from elsewhere — the strict CSP holds. Public, like GET /api/v1/openapi.json. */

type Doc = OpenApiDocument;
/** A schema with its `$ref`s followed, and the component name it came from. */
type Schema = SchemaObject & { name?: string };

/** `code` and **bold** of the document's descriptions, as elements (never HTML). */
function Inline({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(match[1] !== undefined ? <code key={match.index}>{match[1]}</code> : <strong key={match.index}>{match[2]}</strong>);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

function Prose({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <>
      {text.split("\n\n").map((para, i) => (
        <p key={i}>
          <Inline text={para} />
        </p>
      ))}
    </>
  );
}

function resolve(doc: Doc, schema: SchemaObject | undefined): Schema {
  if (!schema) return {};
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const { $ref: _, ...rest } = schema;
    return { ...resolve(doc, doc.components.schemas[name]), ...rest, name };
  }
  if (Array.isArray(schema.allOf)) {
    // A body schema with an open property (campaign `config`) and the schema that property is validated with.
    const parts = schema.allOf.map((s) => resolve(doc, s));
    return {
      type: "object",
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: parts.flatMap((p) => p.required ?? []),
      name: parts.find((p) => p.name)?.name,
    };
  }
  return schema;
}

/** A one-line type: `string (uuid)`, `"a" | "b"`, `integer 1–3`, `array of object`, `→ CampaignConfigInput`. */
function typeOf(doc: Doc, raw: SchemaObject): string {
  if (typeof raw.$ref === "string") return `→ ${raw.$ref.replace("#/components/schemas/", "")}`;
  const s = resolve(doc, raw);
  if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  const variants = s.anyOf ?? s.oneOf;
  if (Array.isArray(variants)) return variants.map((v) => typeOf(doc, v)).join(" or ");
  let type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
  if (type === "array" && s.items) type = `array of ${typeOf(doc, s.items)}`;
  if (s.format) type += ` (${s.format})`;
  const range = [s.minimum ?? s.minLength ?? s.minItems, s.maximum ?? s.maxLength ?? s.maxItems];
  if (range[0] !== undefined || range[1] !== undefined) {
    const unit = s.minLength !== undefined || s.maxLength !== undefined ? " chars" : s.minItems !== undefined || s.maxItems !== undefined ? " items" : "";
    type += ` ${range[0] ?? ""}–${range[1] ?? ""}${unit}`;
  }
  return type;
}

function SchemaTable({ doc, schema, label }: { doc: Doc; schema: SchemaObject; label: string }) {
  const s = resolve(doc, schema);
  const variants = s.anyOf ?? s.oneOf;
  if (Array.isArray(variants) && !s.properties) {
    return (
      <>
        {variants.map((v, i) => (
          <SchemaTable key={i} doc={doc} schema={v} label={`${label}, variant ${i + 1}`} />
        ))}
      </>
    );
  }
  const properties = Object.entries(s.properties ?? {});
  if (!properties.length) return <p className="muted">{typeOf(doc, schema)}</p>;
  const required = new Set<string>(s.required ?? []);
  return (
    <table className="api-schema" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Default / notes</th>
        </tr>
      </thead>
      <tbody>
        {properties.map(([name, property]) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
            </td>
            <td>{typeOf(doc, property)}</td>
            <td>{required.has(name) ? "yes" : ""}</td>
            <td>
              {property.default !== undefined && <code>{JSON.stringify(property.default).slice(0, 80)}</code>} {property.description ?? ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Example({ value }: { value: unknown }) {
  if (value === undefined) return null;
  return <pre className="api-example">{typeof value === "string" ? value : JSON.stringify(value, null, 2)}</pre>;
}

const anchor = (method: string, path: string) => `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-").replace(/-+$/, "");

function Operation({ doc, method, path, op }: { doc: Doc; method: string; path: string; op: OperationObject }) {
  const parameters = op.parameters ?? [];
  const body = op.requestBody?.content;
  const anonymous = Array.isArray(op.security) && op.security.length === 0;
  return (
    <section className="api-op card" id={anchor(method, path)} aria-labelledby={`${anchor(method, path)}-title`}>
      <h3 id={`${anchor(method, path)}-title`}>
        <span className={`api-method api-method-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      <p className="api-summary">{op.summary}</p>
      <p className="api-auth">
        Auth: {anonymous ? "none (public, or the body's secret is the credential)" : "bearer token (Authorization: Bearer arb_…) or session cookie"}
      </p>
      <Prose text={op.description} />
      {parameters.length > 0 && (
        <>
          <h4>Parameters</h4>
          <table className="api-schema" aria-label="Parameters">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">In</th>
                <th scope="col">Type</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`}>
                  <td>
                    <code>{p.name}</code>
                    {p.required ? " *" : ""}
                  </td>
                  <td>{p.in}</td>
                  <td>{typeOf(doc, p.schema ?? {})}</td>
                  <td>
                    {p.schema?.default !== undefined && (
                      <>
                        default <code>{JSON.stringify(p.schema.default)}</code>{" "}
                      </>
                    )}
                    {p.description && <Inline text={p.description} />}
                    {p.example !== undefined && (
                      <>
                        {" "}
                        e.g. <code>{String(p.example)}</code>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {body && (
        <>
          <h4>Request body</h4>
          {Object.entries(body).map(([type, media]) => (
            <div key={type}>
              <p>
                <code>{type}</code>
                {resolve(doc, media.schema).name && (
                  <>
                    {" "}
                    — schema <code>{resolve(doc, media.schema).name}</code>
                  </>
                )}
                {op.requestBody?.description && (
                  <>
                    {": "}
                    <Inline text={op.requestBody.description} />
                  </>
                )}
              </p>
              {type === "application/json" && media.schema && <SchemaTable doc={doc} schema={media.schema} label="Request body fields" />}
              {media.example !== undefined && (
                <>
                  <p className="muted">Example</p>
                  <Example value={media.example} />
                </>
              )}
            </div>
          ))}
        </>
      )}
      <h4>Responses</h4>
      <dl className="api-responses">
        {Object.entries(op.responses ?? {}).map(([status, raw]) => {
          const response = (raw.$ref ? doc.components.responses[raw.$ref.replace("#/components/responses/", "")] : raw) ?? {};
          const content = Object.entries(response.content ?? {});
          return (
            <div key={status} className="api-response">
              <dt>
                <code>{status}</code>
              </dt>
              <dd>
                <Inline text={response.description ?? ""} />
                {!raw.$ref &&
                  content.map(([type, media]) => (
                    <div key={type}>
                      <span className="muted">{type}</span>
                      <Example value={media.example} />
                    </div>
                  ))}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

export default async function ApiReferencePage() {
  const actor = await getPageActor();
  const doc = openApiDocument();
  const byTag = new Map<string, Array<{ method: string; path: string; op: OperationObject }>>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? "Other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  const tags = doc.tags;
  return (
    <>
      {actor ? (
        <AppHeader actor={actor} />
      ) : (
        <header className="app-header">
          <Brand href="/" />
          <nav aria-label="Main">
            <Link href="/login">Sign in</Link>
          </nav>
        </header>
      )}
      <main className="api-docs">
        <h1>
          {doc.info.title} <span className="muted">v{doc.info.version}</span>
        </h1>
        <Prose text={doc.info.description} />
        <p>
          Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI {doc.openapi}; load it into any OpenAPI client or code generator).
          Errors are <code>{'{"error": {"code", "message", "details"?}}'}</code>.
        </p>
        <nav aria-label="API sections" className="api-toc">
          <ul>
            {tags.map((tag) => (
              <li key={tag.name}>
                <a href={`#tag-${anchor("", tag.name)}`}>{tag.name}</a> ({byTag.get(tag.name)?.length ?? 0})
              </li>
            ))}
          </ul>
        </nav>
        {tags.map((tag) => (
          <section key={tag.name} aria-labelledby={`tag-${anchor("", tag.name)}`}>
            <h2 id={`tag-${anchor("", tag.name)}`}>{tag.name}</h2>
            {tag.description && <p className="muted">{tag.description}</p>}
            {(byTag.get(tag.name) ?? []).map(({ method, path, op }) => (
              <Operation key={`${method} ${path}`} doc={doc} method={method} path={path} op={op} />
            ))}
          </section>
        ))}
      </main>
    </>
  );
}
