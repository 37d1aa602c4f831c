/** Item insertion lives in the store; re-exported here for the callers that import it from items/. */
export { insertItemBatch, type NewItem } from "../store/items.ts";
