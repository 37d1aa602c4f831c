import { buildItem } from "./build-item.ts";
import { defaultResponseId } from "./item-ids.ts";
import { mapPreferencePair } from "./map-preference-pair.ts";
import type { MapOptions, MapOutcome } from "./types.ts";

const PROMPT_COLUMNS = ["prompt", "input", "question", "instruction", "query"];
const ID_COLUMNS = ["id", "item_id", "external_id"];
const GOLD_COLUMNS = ["winner", "gold", "label"];
const RESPONSE_COLUMN = /^(?:response|output|answer|completion|candidate|generation)s?_?([a-z0-9]*)$/;
const MODEL_COLUMN = /^model_?([a-z0-9]+)$/;

const normalizeName = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

interface CsvLayout {
  width: number;
  prompt: number;
  id?: number;
  gold?: number;
  responses: { column: number; model?: number }[];
  chosenRejected?: { chosen: number; rejected: number };
  metadata: { column: number; name: string }[];
}

/** A header names a prompt column and at least one response column (or `chosen` and `rejected`). */
function layoutFromHeader(cells: string[]): CsvLayout | undefined {
  const names = cells.map(normalizeName);
  const prompt = names.findIndex((name) => PROMPT_COLUMNS.includes(name));
  const responseColumns = names.flatMap((name, column) => {
    const match = RESPONSE_COLUMN.exec(name);
    return match ? [{ column, suffix: match[1] ?? "" }] : [];
  });
  const chosen = names.indexOf("chosen");
  const rejected = names.indexOf("rejected");
  const hasPair = chosen >= 0 && rejected >= 0;
  if (prompt < 0 || (responseColumns.length === 0 && !hasPair)) return undefined;

  const id = names.findIndex((name) => ID_COLUMNS.includes(name));
  const gold = names.findIndex((name) => GOLD_COLUMNS.includes(name));
  const used = new Set([prompt, id, gold, ...responseColumns.map((r) => r.column)]);
  const responses = responseColumns.map(({ column, suffix }) => {
    const model = suffix ? names.findIndex((name) => MODEL_COLUMN.exec(name)?.[1] === suffix) : -1;
    if (model >= 0) used.add(model);
    return { column, ...(model >= 0 ? { model } : {}) };
  });
  const chosenRejected = responses.length === 0 && hasPair ? { chosen, rejected } : undefined;
  if (chosenRejected) used.add(chosen).add(rejected);
  return {
    width: cells.length,
    prompt,
    ...(id >= 0 ? { id } : {}),
    ...(gold >= 0 ? { gold } : {}),
    responses,
    ...(chosenRejected ? { chosenRejected } : {}),
    metadata: cells.flatMap((name, column) => (used.has(column) ? [] : [{ column, name: name.trim() }])),
  };
}

/** Without a header: the first column is the prompt, every other column a response. */
function layoutWithoutHeader(width: number): CsvLayout {
  return { width, prompt: 0, responses: Array.from({ length: width - 1 }, (_, i) => ({ column: i + 1 })), metadata: [] };
}

/**
 * Turns CSV records into items. The first record is a header when it names a prompt column
 * (prompt, input, question, instruction or query) and response columns (response…, output…,
 * answer…, completion…, candidate…, generation…, or chosen + rejected); otherwise column 1 is
 * the prompt and the others are responses. Responses are `a`, `b`, … in column order.
 */
export class CsvItemMapper {
  private layout: CsvLayout | undefined;

  constructor(private readonly options: MapOptions) {}

  /** `"header"` for the header record; otherwise the item or its errors. */
  map(cells: string[]): MapOutcome | "header" {
    if (this.layout === undefined) {
      const fromHeader = layoutFromHeader(cells);
      this.layout = fromHeader ?? layoutWithoutHeader(cells.length);
      if (fromHeader) return "header";
    }
    const layout = this.layout;
    if (cells.length !== layout.width) return { errors: [`expected ${layout.width} fields, found ${cells.length}`] };
    const cell = (column: number | undefined) => (column === undefined ? undefined : cells[column]);
    const id = cell(layout.id)?.trim() || undefined;
    const prompt = cell(layout.prompt) ?? "";
    const metadata = Object.fromEntries(layout.metadata.map(({ column, name }) => [name, cells[column]]));

    if (layout.chosenRejected) {
      return mapPreferencePair(
        { id, prompt, chosen: { content: cells[layout.chosenRejected.chosen]! }, rejected: { content: cells[layout.chosenRejected.rejected]! }, metadata },
        this.options,
      );
    }
    const responses = layout.responses.map(({ column, model }) => ({ content: cells[column]!, model: cell(model)?.trim() || undefined }));
    const goldText = cell(layout.gold)?.trim() ?? "";
    let gold: { winner: string } | undefined;
    if (goldText !== "") {
      const ids = responses.map((_, index) => defaultResponseId(index));
      const byNumber = /^\d+$/.test(goldText) ? ids[Number(goldText) - 1] : undefined;
      const winner = ids.includes(goldText.toLowerCase()) ? goldText.toLowerCase() : byNumber;
      if (winner === undefined) {
        return { errors: [`the gold column says "${goldText}"; expected a response id (${ids.join(", ")}) or its number (1–${ids.length})`] };
      }
      gold = { winner };
    }
    return buildItem({ id, prompt, responses, gold, metadata });
  }
}
