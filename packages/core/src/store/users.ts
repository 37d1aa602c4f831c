import { randomUUID } from "node:crypto";
import { getPrisma, Prisma, type Role, type User } from "@arbiter/db";
import { releasingLeases } from "./fragments.ts";
import type { PrismaTx, Tx } from "./transaction.ts";

/** Users and their credential account (better-auth's layout: one `accounts` row, provider `credential`). */

export async function findUserByEmail(email: string, tx: PrismaTx = getPrisma()): Promise<User | null> {
  return tx.user.findUnique({ where: { email } });
}

export async function userExists(userId: string): Promise<boolean> {
  return (await getPrisma().user.findUnique({ where: { id: userId }, select: { id: true } })) !== null;
}

/** Everyone, oldest account first. */
export async function listUsersByCreation(): Promise<User[]> {
  return getPrisma().user.findMany({ orderBy: { createdAt: "asc" } });
}

/** A user by email with their credential password hash (null without one), for signing in. */
export async function findUserForSignIn(email: string): Promise<{ id: string; disabled: boolean; passwordHash: string | null } | null> {
  const user = await getPrisma().user.findUnique({ where: { email }, include: { accounts: { where: { providerId: "credential" } } } });
  return user ? { id: user.id, disabled: user.disabled, passwordHash: user.accounts[0]?.password ?? null } : null;
}

/** The credential account's password hash, or null when the user has none. */
export async function findPasswordHash(userId: string): Promise<string | null> {
  const credential = await getPrisma().account.findFirst({ where: { userId, providerId: "credential" } });
  return credential?.password ?? null;
}

export async function findCredentialAccount(tx: PrismaTx, userId: string): Promise<{ id: string; password: string | null } | null> {
  return tx.account.findFirst({ where: { userId, providerId: "credential" }, select: { id: true, password: true } });
}

export async function insertUserRecord(tx: PrismaTx, user: { id: string; email: string; name: string; role: Role }): Promise<User> {
  return tx.user.create({ data: { ...user, emailVerified: true } });
}

export async function insertCredentialAccount(tx: PrismaTx, userId: string, passwordHash: string): Promise<void> {
  await tx.account.create({ data: { id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash } });
}

export async function setCredentialPassword(tx: PrismaTx, accountId: string, passwordHash: string): Promise<void> {
  await tx.account.update({ where: { id: accountId }, data: { password: passwordHash } });
}

/** Sets (or first creates) the credential account's password hash, in better-auth's layout. */
export async function setPasswordHash(tx: PrismaTx, userId: string, passwordHash: string): Promise<void> {
  const updated = await tx.account.updateMany({ where: { userId, providerId: "credential" }, data: { password: passwordHash } });
  if (updated.count === 0) await insertCredentialAccount(tx, userId, passwordHash);
}

export async function renameUser(tx: PrismaTx, userId: string, name: string): Promise<User> {
  return tx.user.update({ where: { id: userId }, data: { name } });
}

export async function setUserDisabled(tx: PrismaTx, userId: string, disabled: boolean): Promise<User> {
  return tx.user.update({ where: { id: userId }, data: { disabled } });
}

/** A new user's membership of a campaign (created with the user, so never a duplicate). */
export async function insertCampaignMember(tx: PrismaTx, campaignId: string, userId: string): Promise<void> {
  await tx.campaignMember.create({ data: { campaignId, userId } });
}

export interface LockedUser {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  /** The credential account's password hash, or null when the user has none yet. */
  passwordHash: string | null;
}

/**
 * The user's row, locked until the caller's transaction ends, with their password hash. Every
 * change to a user's credentials (password change, reset, disable) takes this lock first, and
 * token creation takes it in share mode, so a token can never be minted with a password that
 * was just replaced, or for an account that was just disabled.
 */
export async function lockUser(tx: Tx, userId: string, mode: "update" | "share" = "update"): Promise<LockedUser | null> {
  const rows =
    mode === "update"
      ? await tx.$queryRaw<LockedUser[]>`
        SELECT u.id, u.email, u.role, u.disabled,
               (SELECT a.password FROM accounts a WHERE a.user_id = u.id AND a.provider_id = 'credential' LIMIT 1) AS "passwordHash"
        FROM users u WHERE u.id = ${userId} FOR UPDATE OF u`
      : await tx.$queryRaw<LockedUser[]>`
        SELECT u.id, u.email, u.role, u.disabled,
               (SELECT a.password FROM accounts a WHERE a.user_id = u.id AND a.provider_id = 'credential' LIMIT 1) AS "passwordHash"
        FROM users u WHERE u.id = ${userId} FOR SHARE OF u`;
  return rows[0] ?? null;
}

/**
 * Locks, in id order, the rows an account status change decides on: the target, the acting
 * admin, and every active admin (so two admins disabling each other at once cannot both succeed).
 */
export async function lockUsersForStatusChange(tx: Tx, targetId: string, actorId: string): Promise<Array<{ id: string; role: string; disabled: boolean }>> {
  return tx.$queryRaw<Array<{ id: string; role: string; disabled: boolean }>>`
      SELECT id, role, disabled FROM users
      WHERE id = ${targetId} OR id = ${actorId} OR (role = 'admin' AND NOT disabled)
      ORDER BY id FOR UPDATE`;
}

/** A disabled user's open leases go back to the pool; how many. */
export async function expireLeasesOfUser(tx: Tx, userId: string): Promise<number> {
  const [released] = await tx.$queryRaw<Array<{ n: number }>>(
    releasingLeases(Prisma.sql`UPDATE assignments SET status = 'expired' WHERE user_id = ${userId} AND status = 'leased'`),
  );
  return released?.n ?? 0;
}

export interface RevokedCredentials {
  revokedTokens: number;
  endedSessions: number;
}

/**
 * Every live API token of a user is revoked and their sessions end (all of them, or all but the
 * one the caller is using), in the caller's transaction: what a password change, a password
 * reset and disabling an account each do, so that whoever held the old credentials is out at once.
 */
export async function revokeUserCredentials(tx: Tx, options: { userId: string; keepSessionId?: string; now?: Date }): Promise<RevokedCredentials> {
  const now = options.now ?? new Date();
  const revokedTokens = await tx.$executeRaw`
    UPDATE api_tokens SET revoked_at = ${now} WHERE user_id = ${options.userId} AND revoked_at IS NULL AND expires_at > ${now}`;
  const endedSessions = options.keepSessionId
    ? await tx.$executeRaw`DELETE FROM sessions WHERE user_id = ${options.userId} AND id <> ${options.keepSessionId}`
    : await tx.$executeRaw`DELETE FROM sessions WHERE user_id = ${options.userId}`;
  return { revokedTokens, endedSessions };
}
