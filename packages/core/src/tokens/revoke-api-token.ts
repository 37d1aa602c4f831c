import { getPrisma } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError } from "../errors.ts";
import { tokenColumns, toTokenView, type TokenView } from "./token-view.ts";

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
  return getPrisma().$transaction(async (tx) => {
    const [owner] = await tx.$queryRaw<Array<{ userId: string }>>`SELECT user_id AS "userId" FROM api_tokens WHERE id = ${tokenId}::uuid FOR UPDATE`;
    if (!owner || (owner.userId !== actor.userId && actor.role !== "admin")) throw new AppError("not_found", "Token not found.");
    const now = new Date();
    const token = await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: tokenColumns });
    if (token.revokedAt) return toTokenView(token, { now, currentTokenId: actor.tokenId });
    const revoked = await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now }, select: tokenColumns });
    await writeAudit(tx, { actorId: actor.userId, action: "token.revoke", targetType: "api_token", targetId: tokenId, data: { userId: owner.userId } });
    return toTokenView(revoked, { now, currentTokenId: actor.tokenId });
  });
}
