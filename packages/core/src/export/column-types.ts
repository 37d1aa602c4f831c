import type { SchemaElement } from "hyparquet";

/**
 * The one type of an export column, the same in every row and every file format: what the
 * Parquet schema, the Hugging Face `dataset_info.features` and the JSON Lines values follow.
 * Text is `string`, message lists are `list<struct<role, content>>`, rankings `list<list<string>>`.
 */
export type ColumnType =
  | { kind: "string" }
  | { kind: "int32" }
  | { kind: "double" }
  | { kind: "bool" }
  /** UTC, milliseconds. JSON Lines holds it as ISO 8601 text. */
  | { kind: "timestamp" }
  | { kind: "list"; of: ColumnType; nullableItems?: boolean }
  | { kind: "struct"; fields: readonly StructField[] };

export interface StructField {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

export const STRING: ColumnType = { kind: "string" };
export const INT32: ColumnType = { kind: "int32" };
export const DOUBLE: ColumnType = { kind: "double" };
export const TIMESTAMP: ColumnType = { kind: "timestamp" };
export const listOf = (of: ColumnType, options: { nullableItems?: boolean } = {}): ColumnType => ({ kind: "list", of, ...options });
export const structOf = (...fields: StructField[]): ColumnType => ({ kind: "struct", fields });

/** `[{role, content}]`: TRL's conversational form. */
export const MESSAGES: ColumnType = listOf(structOf({ name: "role", type: STRING }, { name: "content", type: STRING }));

/** A short name of the type for people (dataset cards): `list<struct<role: string, content: string>>`. */
export function describeType(type: ColumnType): string {
  switch (type.kind) {
    case "list":
      return `list<${describeType(type.of)}>`;
    case "struct":
      return `struct<${type.fields.map((field) => `${field.name}: ${describeType(field.type)}`).join(", ")}>`;
    default:
      return type.kind;
  }
}

/**
 * The Parquet schema elements of one column (depth first, as the footer lists them): lists in
 * the standard three-level form (`<name> (LIST) { repeated group list { element } }`), structs
 * as groups, text as UTF-8 strings, timestamps as INT64 milliseconds adjusted to UTC.
 */
export function parquetElements(name: string, type: ColumnType, nullable: boolean): SchemaElement[] {
  const repetition_type = nullable ? "OPTIONAL" : "REQUIRED";
  switch (type.kind) {
    case "string":
      return [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type }];
    case "int32":
      return [{ name, type: "INT32", repetition_type }];
    case "double":
      return [{ name, type: "DOUBLE", repetition_type }];
    case "bool":
      return [{ name, type: "BOOLEAN", repetition_type }];
    case "timestamp":
      return [
        {
          name,
          type: "INT64",
          converted_type: "TIMESTAMP_MILLIS",
          logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
          repetition_type,
        },
      ];
    case "list":
      return [
        { name, repetition_type, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        ...parquetElements("element", type.of, type.nullableItems ?? false),
      ];
    case "struct":
      return [
        { name, repetition_type, num_children: type.fields.length },
        ...type.fields.flatMap((field) => parquetElements(field.name, field.type, field.nullable ?? false)),
      ];
  }
}

/** A value as the Parquet writer takes it (it wraps lists in the three-level form itself): timestamps as Dates, the rest as they are. */
export function parquetValue(value: unknown, type: ColumnType): unknown {
  if (value === undefined || value === null) return null;
  switch (type.kind) {
    case "timestamp":
      return value instanceof Date ? value : new Date(String(value));
    case "list":
      return (value as unknown[]).map((element) => parquetValue(element, type.of));
    case "struct": {
      const record = value as Record<string, unknown>;
      return Object.fromEntries(type.fields.map((field) => [field.name, parquetValue(record[field.name], field.type)]));
    }
    default:
      return value;
  }
}

const HF_DTYPES = { string: "string", int32: "int32", double: "float64", bool: "bool", timestamp: "timestamp[ms, tz=UTC]" } as const;

/**
 * The column as a Hugging Face `dataset_info.features` entry, in the YAML form dataset cards use
 * (`dtype: string`, `list: string`, `list: [{name, dtype}]`), as lines indented by `indent`.
 * `file` matters for timestamps only: JSON Lines holds them as ISO 8601 text (`string`).
 */
export function hfFeatureYaml(name: string, type: ColumnType, file: "jsonl" | "parquet", indent = ""): string[] {
  return [`${indent}- name: ${name}`, ...hfTypeYaml(type, file, `${indent}  `)];
}

function hfTypeYaml(type: ColumnType, file: "jsonl" | "parquet", indent: string): string[] {
  switch (type.kind) {
    case "list": {
      const inner = type.of;
      if (inner.kind === "struct") return [`${indent}list:`, ...inner.fields.flatMap((field) => hfFeatureYaml(field.name, field.type, file, indent))];
      if (inner.kind === "list") return [`${indent}list:`, ...hfTypeYaml(inner, file, `${indent}  `)];
      return [`${indent}list: ${scalarDtype(inner, file)}`];
    }
    case "struct":
      return [`${indent}struct:`, ...type.fields.flatMap((field) => hfFeatureYaml(field.name, field.type, file, indent))];
    default:
      return [`${indent}dtype: ${scalarDtype(type, file)}`];
  }
}

function scalarDtype(type: ColumnType, file: "jsonl" | "parquet"): string {
  if (type.kind === "list" || type.kind === "struct") throw new Error("not a scalar type");
  return type.kind === "timestamp" && file === "jsonl" ? "string" : HF_DTYPES[type.kind];
}
