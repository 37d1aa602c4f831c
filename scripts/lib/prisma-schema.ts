// The Prisma DMMF (the parsed data model) of a schema, offline.
//
// `getDMMF` lives in @prisma/internals, which we do not install (it is large and internal). The
// `prisma` CLI ships the same parser as WebAssembly (node_modules/prisma/build/prisma_schema_build_bg.wasm,
// i.e. @prisma/prisma-schema-wasm bundled into the CLI) with the JS glue inlined into its cli.js.
// The glue is tiny (four imports), so it is reproduced here. If a future `prisma` changes the
// wasm's import names, instantiation fails loudly with a LinkError rather than returning anything wrong.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface DmmfField {
  name: string;
  kind: "scalar" | "object" | "enum" | "unsupported";
  dbName: string | null;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isReadOnly: boolean;
  hasDefaultValue: boolean;
  type: string;
  nativeType: [string, string[]] | null;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  isUpdatedAt: boolean;
  default?: unknown;
}

export interface DmmfIndex {
  model: string;
  type: "id" | "normal" | "unique" | "fulltext";
  isDefinedOnField: boolean;
  name?: string;
  dbName?: string;
  fields: { name: string; sortOrder?: string; length?: number; operatorClass?: string }[];
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  schema: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: { name: string | null; fields: string[] }[];
}

export interface DmmfEnum {
  name: string;
  values: { name: string; dbName: string | null }[];
  dbName?: string | null;
}

export interface DmmfDatamodel {
  enums: DmmfEnum[];
  models: DmmfModel[];
  types: unknown[];
  indexes: DmmfIndex[];
}

export interface Dmmf {
  datamodel: DmmfDatamodel;
}

interface SchemaWasmExports {
  memory: WebAssembly.Memory;
  __wbindgen_externrefs: WebAssembly.Table;
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_realloc(ptr: number, oldSize: number, newSize: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  __wbindgen_start(): void;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
}

let instance: SchemaWasmExports | undefined;
let panicMessage = "";

function load(): SchemaWasmExports {
  if (instance) return instance;
  const require = createRequire(import.meta.url);
  const wasmPath = join(dirname(require.resolve("prisma/package.json")), "build/prisma_schema_build_bg.wasm");
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
  const text = (ptr: number, len: number) => decoder.decode(new Uint8Array(exports.memory.buffer, ptr >>> 0, len));
  // wasm-bindgen names its imports <what>_<hash>; match on the stable prefix.
  const handlers: Record<string, (...args: number[]) => unknown> = {
    __wbg_Error_: (ptr, len) => new Error(text(ptr, len)),
    __wbg___wbindgen_throw_: (ptr, len) => {
      throw new Error(text(ptr, len));
    },
    __wbg_set_message_: (ptr, len) => {
      panicMessage = text(ptr, len);
    },
    __wbindgen_init_externref_table: () => {
      const table = exports.__wbindgen_externrefs;
      const offset = table.grow(4);
      table.set(0, undefined);
      table.set(offset + 0, undefined);
      table.set(offset + 1, null);
      table.set(offset + 2, true);
      table.set(offset + 3, false);
    },
  };
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const key = Object.keys(handlers).find((prefix) => imp.name === prefix || imp.name.startsWith(prefix));
    if (!key) throw new Error(`prisma_schema_build_bg.wasm wants an unknown import ${imp.module}.${imp.name}; update scripts/lib/prisma-schema.ts`);
    (imports[imp.module] ??= {})[imp.name] = handlers[key]!;
  }
  const exports = new WebAssembly.Instance(module, imports as WebAssembly.Imports).exports as unknown as SchemaWasmExports;
  exports.__wbindgen_start();
  instance = exports;
  return exports;
}

function callStringFn(fn: "get_dmmf", input: string): string {
  const wasm = load();
  const bytes = new TextEncoder().encode(input);
  const ptr = wasm.__wbindgen_malloc(bytes.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
  panicMessage = "";
  let result: [number, number, number, number];
  try {
    result = wasm[fn](ptr, bytes.length);
  } catch (e) {
    throw new Error(`prisma-schema-wasm ${fn} panicked: ${panicMessage || String(e)}`, { cause: e });
  }
  const [outPtr, outLen, errIndex, isErr] = result;
  if (isErr) {
    const error = wasm.__wbindgen_externrefs.get(errIndex) as unknown;
    wasm.__externref_table_dealloc(errIndex);
    throw error instanceof Error ? error : new Error(String(error));
  }
  try {
    return new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, outPtr >>> 0, outLen));
  } finally {
    wasm.__wbindgen_free(outPtr, outLen, 1);
  }
}

/** The DMMF of a schema, as `getDMMF` from @prisma/internals returns it. Throws with Prisma's validation errors. */
export function getDmmf(schemaContent: string, schemaPath = "schema.prisma"): Dmmf {
  try {
    return JSON.parse(callStringFn("get_dmmf", JSON.stringify({ prismaSchema: [[schemaPath, schemaContent]], noColor: true }))) as Dmmf;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Validation errors come back as JSON: {"error_code": "...", "message": "..."}.
    try {
      const parsed = JSON.parse(message) as { message?: string };
      if (parsed.message) throw new Error(`Invalid Prisma schema:\n${parsed.message}`, { cause: e });
    } catch (inner) {
      if (inner instanceof Error && inner.message.startsWith("Invalid Prisma schema")) throw inner;
    }
    throw e;
  }
}
