import { getPrisma, type User } from "@arbiter/db";
import type { PrismaTx } from "./transaction.ts";

/** Reads the demo seed and the first start need (users are otherwise store/users.ts's). */

export async function findUserByEmail(tx: PrismaTx, email: string): Promise<User | null> {
  return tx.user.findUnique({ where: { email } });
}

/** Users other than `exceptUserId` (all users without one). */
export async function countUsersExcept(tx: PrismaTx, exceptUserId?: string): Promise<number> {
  return tx.user.count(exceptUserId !== undefined ? { where: { id: { not: exceptUserId } } } : undefined);
}

export async function countCampaigns(tx: PrismaTx): Promise<number> {
  return tx.campaign.count();
}

/** The users with these e-mails, each with its credential password hash (null: no credential account). */
export async function findUsersWithPasswordHash(emails: string[]): Promise<Array<{ email: string; disabled: boolean; passwordHash: string | null }>> {
  const users = await getPrisma().user.findMany({
    where: { email: { in: emails } },
    include: { accounts: { where: { providerId: "credential" } } },
  });
  return users.map((u) => ({ email: u.email, disabled: u.disabled, passwordHash: u.accounts[0]?.password ?? null }));
}
