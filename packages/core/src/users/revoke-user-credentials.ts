import type { RawDb } from "@arbiter/db";

export interface RevokedCredentials {
  revokedTokens: number;
  endedSessions: number;
}

/**
 * Every live API token of a user is revoked and their sessions end (all of them, or all but the
 * one the caller is using), in the caller's transaction: what a password change, a password
 * reset and disabling an account each do, so that whoever held the old credentials is out at once.
 */
export async function revokeUserCredentials(db: RawDb, options: { userId: string; keepSessionId?: string; now?: Date }): Promise<RevokedCredentials> {
  const now = options.now ?? new Date();
  const revokedTokens = await db.$executeRaw`
    UPDATE api_tokens SET revoked_at = ${now} WHERE user_id = ${options.userId} AND revoked_at IS NULL AND expires_at > ${now}`;
  const endedSessions = options.keepSessionId
    ? await db.$executeRaw`DELETE FROM sessions WHERE user_id = ${options.userId} AND id <> ${options.keepSessionId}`
    : await db.$executeRaw`DELETE FROM sessions WHERE user_id = ${options.userId}`;
  return { revokedTokens, endedSessions };
}
