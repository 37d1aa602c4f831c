import { getPrisma } from "@arbiter/db";
import { requireActor, requireRole, type Actor } from "../access/actor.ts";
import { AppError } from "../errors.ts";
import { isUserId } from "../users/lock-user.ts";
import { tokenColumns, toTokenView, type TokenView } from "./token-view.ts";

/** The caller's own tokens, newest first: live, expired and revoked, never their secrets. */
export async function listOwnApiTokens(options: { actor: Actor | null }): Promise<TokenView[]> {
  const actor = requireActor(options.actor);
  const rows = await getPrisma().apiToken.findMany({ where: { userId: actor.userId }, select: tokenColumns, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  const now = new Date();
  return rows.map((row) => toTokenView(row, { now, currentTokenId: actor.tokenId }));
}

/** Any user's tokens (admins), newest first; an unknown user is a 404. */
export async function listUserApiTokens(options: { actor: Actor | null; userId: string }): Promise<TokenView[]> {
  const actor = requireRole(options.actor, "admin");
  const prisma = getPrisma();
  if (!isUserId(options.userId) || !(await prisma.user.findUnique({ where: { id: options.userId }, select: { id: true } }))) throw new AppError("not_found", "User not found.");
  const rows = await prisma.apiToken.findMany({ where: { userId: options.userId }, select: tokenColumns, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  const now = new Date();
  return rows.map((row) => toTokenView(row, { now, currentTokenId: actor.tokenId }));
}
