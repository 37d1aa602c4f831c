import { requireActor, requireRole, type Actor } from "../access/actor.ts";
import { AppError } from "../errors.ts";
import { listApiTokensOfUser } from "../store/tokens.ts";
import { userExists } from "../store/users.ts";
import { isUserId } from "../users/user-id.ts";
import { toTokenView, type TokenView } from "./token-view.ts";

/** The caller's own tokens, newest first: live, expired and revoked, never their secrets. */
export async function listOwnApiTokens(options: { actor: Actor | null }): Promise<TokenView[]> {
  const actor = requireActor(options.actor);
  const rows = await listApiTokensOfUser(actor.userId);
  const now = new Date();
  return rows.map((row) => toTokenView(row, { now, currentTokenId: actor.tokenId }));
}

/** Any user's tokens (admins), newest first; an unknown user is a 404. */
export async function listUserApiTokens(options: { actor: Actor | null; userId: string }): Promise<TokenView[]> {
  const actor = requireRole(options.actor, "admin");
  if (!isUserId(options.userId) || !(await userExists(options.userId))) throw new AppError("not_found", "User not found.");
  const rows = await listApiTokensOfUser(options.userId);
  const now = new Date();
  return rows.map((row) => toTokenView(row, { now, currentTokenId: actor.tokenId }));
}
