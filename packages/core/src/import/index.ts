export { parseItemStream, readItemBatches, DEFAULT_MAX_LINE_BYTES, type ItemStream, type ParseItemStreamOptions } from "./parse-item-stream.ts";
export { renderConversation } from "./conversation.ts";
export { ITEM_FORMATS } from "./types.ts";
export type { ChatMessage, ItemFormat, ItemGold, LineError, MediaRef, NormalizedItem, NormalizedResponse, ParsedItem } from "./types.ts";
