import type { Role, RawDb } from "@arbiter/db";

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
export async function lockUser(db: RawDb, userId: string, mode: "update" | "share" = "update"): Promise<LockedUser | null> {
  const rows = mode === "update"
    ? await db.$queryRaw<LockedUser[]>`
        SELECT u.id, u.email, u.role, u.disabled,
               (SELECT a.password FROM accounts a WHERE a.user_id = u.id AND a.provider_id = 'credential' LIMIT 1) AS "passwordHash"
        FROM users u WHERE u.id = ${userId} FOR UPDATE OF u`
    : await db.$queryRaw<LockedUser[]>`
        SELECT u.id, u.email, u.role, u.disabled,
               (SELECT a.password FROM accounts a WHERE a.user_id = u.id AND a.provider_id = 'credential' LIMIT 1) AS "passwordHash"
        FROM users u WHERE u.id = ${userId} FOR SHARE OF u`;
  return rows[0] ?? null;
}

/** User ids are UUIDs; anything else names no user (a 404, never a database error). */
export function isUserId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
