import type { TokenRow } from "../store/tokens.ts";

export type TokenStatus = "active" | "expired" | "revoked";

/** What anyone ever sees of a token after it was created: never the secret, nor its hash. */
export interface TokenView {
  id: string;
  name: string;
  /** The secret's first characters (`arb_` + 6), to tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  revokedAt: string | null;
  status: TokenStatus;
  /** The token this very request was sent with. */
  current: boolean;
}

// The columns a TokenView is made of live with the statements that read them; re-exported where the package has always exported them.
export { tokenColumns, type TokenRow } from "../store/tokens.ts";

export function toTokenView(row: TokenRow, options: { now?: Date; currentTokenId?: string } = {}): TokenView {
  const now = options.now ?? new Date();
  const status: TokenStatus = row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "active";
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    status,
    current: row.id === options.currentTokenId,
  };
}
