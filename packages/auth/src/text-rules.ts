/** The longest display name, in characters (code points). */
export const MAX_DISPLAY_NAME_LENGTH = 200;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** NUL or an unpaired surrogate: text PostgreSQL cannot store, and no person types. */
export function hasUnstorableCharacters(text: string): boolean {
  return text.includes("\u0000") || LONE_SURROGATE.test(text);
}

/** Where in a parsed JSON value a string holds unstorable characters (a dotted path), or null. */
export function findUnstorableText(value: unknown, path = "", depth = 0): string | null {
  if (typeof value === "string") return hasUnstorableCharacters(value) ? path || "(body)" : null;
  if (depth > 32 || value === null || typeof value !== "object") return null;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (hasUnstorableCharacters(key)) return at;
    const found = findUnstorableText(inner, at, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Why a display name is refused, or null when it is fine: 1–200 characters after trimming, storable. */
export function displayNameProblem(name: unknown): string | null {
  if (typeof name !== "string") return "a name must be text";
  if (hasUnstorableCharacters(name)) return "a name cannot contain NUL or unpaired surrogate characters";
  const length = [...name.trim()].length;
  if (length === 0) return "a name cannot be empty";
  if (length > MAX_DISPLAY_NAME_LENGTH) return `a name is at most ${MAX_DISPLAY_NAME_LENGTH} characters (this one has ${length})`;
  return null;
}
