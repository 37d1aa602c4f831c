// Proves that the database the migrations build is the database prisma/schema.prisma describes.
// Fails when someone edits schema.prisma without `npm run db:migration -- --name <name>` (or edits
// a migration by hand in a way that no longer matches the schema).
//
//  (a) Prisma's own differ (the wasm schema engine): migrations folder → schema.prisma is empty.
//  (b) An independent check: the catalog of a database with every migration applied, read from
//      information_schema / pg_catalog, against the schema's DMMF (tables, columns, types,
//      nullability, primary keys, unique constraints, indexes, foreign keys, enums).
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@arbiter/db/migrate";
import { getDmmf, type DmmfDatamodel, type DmmfField, type DmmfModel } from "./lib/prisma-schema.ts";
import { defaultMigrationsDir, defaultSchemaPath, diffMigrationsToSchema } from "./lib/schema-engine.ts";

const schemaText = readFileSync(defaultSchemaPath, "utf8");
const datamodel: DmmfDatamodel = getDmmf(schemaText).datamodel;

// ---- what the schema says -------------------------------------------------------------------

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;
const enumDbName = (name: string) => datamodel.enums.find((e) => e.name === name)?.dbName ?? name;

function modelNamed(name: string): DmmfModel {
  const model = datamodel.models.find((m) => m.name === name);
  if (!model) throw new Error(`DMMF has no model ${name}`);
  return model;
}

function columnsOf(model: DmmfModel, fieldNames: string[]): string[] {
  return fieldNames.map((name) => {
    const field = model.fields.find((f) => f.name === name);
    if (!field) throw new Error(`DMMF model ${model.name} has no field ${name}`);
    return columnOf(field);
  });
}

/** Postgres type Prisma creates for a scalar field (as format_type() prints it). */
function expectedType(field: DmmfField): string {
  let base: string;
  if (field.kind === "enum") {
    const name = enumDbName(field.type);
    base = /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`; // format_type() quotes mixed case
  } else if (field.nativeType) {
    const [native, args] = field.nativeType;
    const natives: Record<string, string> = {
      Uuid: "uuid",
      Text: "text",
      VarChar: "character varying",
      Char: "character",
      Integer: "integer",
      SmallInt: "smallint",
      BigInt: "bigint",
      DoublePrecision: "double precision",
      Real: "real",
      Boolean: "boolean",
      JsonB: "jsonb",
      Json: "json",
      ByteA: "bytea",
      Timestamp: "timestamp without time zone",
      Timestamptz: "timestamp with time zone",
      Date: "date",
      Decimal: "numeric",
      Inet: "inet",
      Citext: "citext",
      Xml: "xml",
    };
    base = natives[native] ?? native.toLowerCase();
    if (args.length > 0) {
      base = base.startsWith("timestamp") ? base.replace("timestamp", `timestamp(${args.join(",")})`) : `${base}(${args.join(",")})`;
    }
  } else {
    const scalars: Record<string, string> = {
      String: "text",
      Int: "integer",
      BigInt: "bigint",
      Float: "double precision",
      Boolean: "boolean",
      DateTime: "timestamp(3) without time zone",
      Json: "jsonb",
      Bytes: "bytea",
      Decimal: "numeric(65,30)",
    };
    const mapped = scalars[field.type];
    if (!mapped) throw new Error(`No expected Postgres type for ${field.type} (field ${field.name}); extend the test`);
    base = mapped;
  }
  return field.isList ? `${base}[]` : base;
}

interface Expected {
  tables: Map<string, Map<string, { type: string; nullable: boolean }>>;
  /** "table|p|cols" (primary key), "table|u|cols" (unique), "table|i|cols" (plain index). */
  indexes: Set<string>;
  /** "table(cols) -> ref(cols) on delete X" */
  foreignKeys: Set<string>;
  enums: Map<string, string[]>;
}

function expectedFromDmmf(): Expected {
  const tables: Expected["tables"] = new Map();
  const indexes = new Set<string>();
  const foreignKeys = new Set<string>();
  for (const model of datamodel.models) {
    const table = tableOf(model);
    const columns = new Map<string, { type: string; nullable: boolean }>();
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      if (field.kind === "unsupported") throw new Error(`Unsupported field ${model.name}.${field.name}: extend the test`);
      // Prisma creates scalar lists (`String[]`) as nullable array columns.
      columns.set(columnOf(field), { type: expectedType(field), nullable: field.isList || !field.isRequired });
      if (field.isId) indexes.add(`${table}|p|${columnOf(field)}`);
      if (field.isUnique) indexes.add(`${table}|u|${columnOf(field)}`);
    }
    tables.set(table, columns);
    if (model.primaryKey) indexes.add(`${table}|p|${columnsOf(model, model.primaryKey.fields).join(",")}`);
    for (const unique of model.uniqueIndexes) indexes.add(`${table}|u|${columnsOf(model, unique.fields).join(",")}`);
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = modelNamed(field.type);
      const fromColumns = columnsOf(model, field.relationFromFields);
      const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
      foreignKeys.add(
        `${table}(${fromColumns.join(",")}) -> ${tableOf(target)}(${columnsOf(target, field.relationToFields ?? []).join(",")}) on delete ${onDelete}`,
      );
    }
  }
  // @@index (and, redundantly, @id/@unique/@@id/@@unique: both views of the DMMF must agree).
  for (const index of datamodel.indexes) {
    const model = modelNamed(index.model);
    const key = `${tableOf(model)}|${{ id: "p", unique: "u", normal: "i", fulltext: "f" }[index.type]}|${columnsOf(
      model,
      index.fields.map((f) => f.name),
    ).join(",")}`;
    if (index.type === "normal") indexes.add(key);
    else if (!indexes.has(key)) throw new Error(`DMMF index ${key} is not reflected in the model's fields/primaryKey/uniqueIndexes`);
  }
  const enums = new Map(datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
  return { tables, indexes, foreignKeys, enums };
}

// ---- what the database has ------------------------------------------------------------------

const onDeleteCodes: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

async function actualFromDatabase(client: pg.Client): Promise<Expected> {
  const schema = (await client.query<{ s: string }>("SELECT current_schema() AS s")).rows[0]!.s;
  const isOurs = (table: string) => table !== "_prisma_migrations";

  const tables: Expected["tables"] = new Map();
  const { rows: tableRows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
    [schema],
  );
  for (const { table_name } of tableRows) if (isOurs(table_name)) tables.set(table_name, new Map());
  const { rows: columnRows } = await client.query<{ table: string; column: string; type: string; nullable: boolean }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema],
  );
  for (const row of columnRows) tables.get(row.table)?.set(row.column, { type: row.type, nullable: row.nullable });

  const indexes = new Set<string>();
  const { rows: indexRows } = await client.query<{ table: string; primary: boolean; unique: boolean; columns: string[] }>(
    `SELECT t.relname AS table, i.indisprimary AS primary, i.indisunique AS unique,
            array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1`,
    [schema],
  );
  for (const row of indexRows) {
    if (!isOurs(row.table)) continue;
    indexes.add(`${row.table}|${row.primary ? "p" : row.unique ? "u" : "i"}|${row.columns.join(",")}`);
  }

  const foreignKeys = new Set<string>();
  const { rows: fkRows } = await client.query<{ table: string; columns: string[]; ref: string; ref_columns: string[]; on_delete: string }>(
    `SELECT t.relname AS table, r.relname AS ref, c.confdeltype AS on_delete,
            array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
            array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS ref_columns
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND c.contype = 'f'`,
    [schema],
  );
  for (const row of fkRows) {
    foreignKeys.add(
      `${row.table}(${row.columns.join(",")}) -> ${row.ref}(${row.ref_columns.join(",")}) on delete ${onDeleteCodes[row.on_delete] ?? row.on_delete}`,
    );
  }

  const enums: Expected["enums"] = new Map();
  const { rows: enumRows } = await client.query<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
       JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 ORDER BY t.typname, e.enumsortorder`,
    [schema],
  );
  for (const row of enumRows) enums.set(row.name, [...(enums.get(row.name) ?? []), row.value]);

  return { tables, indexes, foreignKeys, enums };
}

const sorted = <T>(values: Iterable<T>) => [...values].sort();
const asObject = (tables: Expected["tables"]) =>
  Object.fromEntries(sorted(tables.keys()).map((t) => [t, Object.fromEntries(sorted(tables.get(t)!.keys()).map((c) => [c, tables.get(t)!.get(c)]))]));

// ---- the tests ------------------------------------------------------------------------------

describe("prisma/migrations build exactly prisma/schema.prisma", () => {
  it("(a) Prisma's differ finds nothing between the migrations and schema.prisma", { timeout: 300_000 }, async () => {
    const { empty, script } = await diffMigrationsToSchema({ schemaPath: defaultSchemaPath, migrationsDir: defaultMigrationsDir });
    expect(empty, `schema.prisma has changes that no migration creates; run \`npm run db:migration -- --name <name>\`. Pending SQL:\n${script}`).toBe(true);
  });

  describe("(b) the migrated database's catalog matches the schema's DMMF", () => {
    let client: pg.Client;
    let expected: Expected;
    let actual: Expected;

    beforeAll(async () => {
      const connectionString = process.env.DATABASE_URL;
      if (!connectionString) throw new Error("DATABASE_URL is not set (the integration project's global setup provides a migrated database)");
      // The global setup has migrated this database already; applying again is a no-op unless
      // it predates a migration, so the check always sees every migration applied.
      await applyMigrations({ connectionString, migrationsDir: defaultMigrationsDir });
      client = new pg.Client({ connectionString });
      await client.connect();
      expected = expectedFromDmmf();
      actual = await actualFromDatabase(client);
    });
    afterAll(async () => {
      await client?.end();
    });

    it("has the DMMF of a non-trivial schema (sanity)", () => {
      expect(datamodel.models.length).toBeGreaterThan(10);
      expect(expected.indexes.size).toBeGreaterThan(datamodel.models.length);
    });

    it("every model has its table (@@map), and there are no others", () => {
      expect(sorted(actual.tables.keys())).toEqual(sorted(expected.tables.keys()));
    });

    it("every field has its column (@map) with the right type and nullability, and there are no others", () => {
      expect(asObject(actual.tables)).toEqual(asObject(expected.tables));
    });

    it("every @id/@@id, @unique/@@unique and @@index exists with the same columns in order", () => {
      expect(sorted(actual.indexes)).toEqual(sorted(expected.indexes));
    });

    it("every relation has its foreign key with the schema's onDelete", () => {
      expect(sorted(actual.foreignKeys)).toEqual(sorted(expected.foreignKeys));
    });

    it("every enum exists with the same values in order", () => {
      expect(Object.fromEntries(sorted(actual.enums.keys()).map((k) => [k, actual.enums.get(k)]))).toEqual(
        Object.fromEntries(sorted(expected.enums.keys()).map((k) => [k, expected.enums.get(k)])),
      );
    });
  });
});
