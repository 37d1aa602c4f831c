import { createHmac } from "node:crypto";

/** What `pseudonymizeAnnotator` returns: `ann-` and 12 lowercase hex digits. */
export const ANNOTATOR_PSEUDONYM = /^ann-[0-9a-f]{12}$/;

/**
 * A short, stable, pseudonymous annotator id for exports: `ann-` and the first 12 hex digits of
 * HMAC-SHA256(salt, userId). The same user and salt (the campaign's `pseudonymSalt`) always give
 * the same id; without the salt it cannot be traced back to the user.
 */
export function pseudonymizeAnnotator(userId: string, salt: string): string {
  return `ann-${createHmac("sha256", salt).update(userId).digest("hex").slice(0, 12)}`;
}
