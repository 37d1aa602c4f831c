import { requireActor, type Actor } from "../access/actor.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError } from "../errors.ts";
import { getApiToken, lockApiTokenOwner, markApiTokenRevoked } from "../store/tokens.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { toTokenView, type TokenView } from "./token-view.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revokes a token at once (its next request is a 401). Anyone may revoke their own tokens,
 * admins anyone's; someone else's token is a 404 to everyone else, as if it did not exist.
 * Revoking a revoked token again changes nothing.
 */
export async function revokeApiToken(options: { actor: Actor | null; tokenId: string }): Promise<TokenView> {
  const actor = requireActor(options.actor);
  const tokenId = options.tokenId;
  if (!UUID.test(tokenId)) throw new AppError("not_found", "Token not found.");
  return inPrismaTransaction(async (tx) => {
    const ownerId = await lockApiTokenOwner(tx, tokenId);
    if (!ownerId || (ownerId !== actor.userId && actor.role !== "admin")) throw new AppError("not_found", "Token not found.");
    const now = new Date();
    const token = await getApiToken(tx, tokenId);
    if (token.revokedAt) return toTokenView(token, { now, currentTokenId: actor.tokenId });
    const revoked = await markApiTokenRevoked(tx, tokenId, now);
    await writeAudit(tx, { actorId: actor.userId, action: "token.revoke", targetType: "api_token", targetId: tokenId, data: { userId: ownerId } });
    return toTokenView(revoked, { now, currentTokenId: actor.tokenId });
  });
}
