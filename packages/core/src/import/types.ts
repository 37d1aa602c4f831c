/** The file formats the item importer understands (see FORMATS.md). */
export const ITEM_FORMATS = ["native", "trl", "hh-rlhf", "csv", "imagereward", "llmbar", "rankings"] as const;
export type ItemFormat = (typeof ITEM_FORMATS)[number];

/** One turn of a conversation, as stored in `Item.messages`. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** A picture, sound or video shown with a prompt or as a response (`Item.media`). */
export interface MediaRef {
  type: "image" | "audio" | "video";
  url: string;
  alt?: string;
}

/** `Item.gold`: response external ids. Rankings are best first; inner lists are ties. */
export type ItemGold = { winner: string } | { ranking: string[][] };

export interface NormalizedResponse {
  /** Unique within its item; `a`, `b`, … when the source names none. */
  externalId: string;
  /** Text, possibly empty. */
  content: string;
  model?: string;
  /** Goes to `Response.metadata`: e.g. `sourcePreference`, `media`, structured `messages`. */
  metadata?: Record<string, unknown>;
}

/** One item ready to be written as an `Item` row with its `Response` rows. */
export interface NormalizedItem {
  externalId: string;
  prompt?: string;
  messages?: ChatMessage[];
  media?: MediaRef[];
  metadata?: Record<string, unknown>;
  gold?: ItemGold;
  responses: NormalizedResponse[];
}

/** Where an item came from: `line` as an editor shows it (from 1); `element` for JSON-array files (from 0); `row` for Parquet files (from 1, and `line` too). */
export interface ParsedItem {
  line: number;
  element?: number;
  row?: number;
  item: NormalizedItem;
  /** The record carried a label (gold in the file); `item.gold` holds it only when the import uses labels as gold. */
  labelled?: true;
}

/**
 * A bad record. `line` is where the record starts (from 1, as an editor shows it); in a JSON-array
 * file `element` is the 0-based index of the array element as well, and the message says so. In
 * a Parquet file `row` is the row number (from 1; `line` holds it too) and the message starts `row N:`.
 */
export interface LineError {
  line: number;
  element?: number;
  row?: number;
  /** Set for an id seen earlier in the file; absent for a record that is not a valid item (or a file that is empty or broken). */
  kind?: LineErrorKind;
  /** Every problem of the record, joined with "; " (one entry per bad record). */
  message: string;
}

export type LineErrorKind = "duplicate_in_file";

export interface MapOptions {
  /**
   * Whether the file's own labels become gold. Mappers always report the label they find (`gold`
   * on the item: native `gold`, LLMBar `label`, ImageReward `ranking`, a CSV gold column, trl /
   * hh-rlhf chosen); `parseItemStream` drops it unless this is true.
   */
  labelsAsGold: boolean;
  /** Prefix for relative media paths (ImageReward `generations`); absent keeps them as given. */
  mediaBaseUrl?: string;
}

/** What a format mapper makes of one record: an item, or the reasons it is bad. */
export type MapOutcome = { item: NormalizedItem } | { errors: string[] };
