import { randomUUID } from "node:crypto";
import { createUser } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http } from "../../../scripts/lib/http-client.ts";
import { clientAddress, type Account, type World } from "./world.ts";

/**
 * Accounts made for one test or one matrix cell: the account routes change what they touch
 * (a password change revokes the caller's own tokens, disabling ends a user's sessions), so
 * they act on fresh accounts, never on the world's.
 */
export async function freshAccount(w: World, role: "admin" | "researcher" | "annotator", options: { campaignId?: string } = {}): Promise<Account> {
  const email = `acct-${role}-${randomUUID().slice(0, 8)}@accounts.test`;
  const password = `${role}-password-${randomUUID().slice(0, 6)}`;
  const user = await createUser(
    { ...w.fixture, headers: clientAddress() },
    { email, role, password, ...(options.campaignId ? { campaignId: options.campaignId } : {}) },
  );
  const token = await issueToken(w, { email, password });
  return { id: user.id, email, password, token: token.token };
}

/** A new bearer token of the account (POST /api/v1/tokens), from a client address of its own. */
export async function issueToken(
  w: World,
  account: { email: string; password: string },
  extra: Record<string, unknown> = {},
): Promise<{ id: string; token: string; name: string; expiresAt: string }> {
  const created = await http<{ id: string; token: string; name: string; expiresAt: string }>(w.baseUrl, "/api/v1/tokens", {
    body: { email: account.email, password: account.password, ...extra },
    headers: clientAddress(),
  });
  return expectStatus(created, 201, `token for ${account.email}`);
}

/** The secret of a new password reset link an admin issued for the user. */
export async function resetSecret(w: World, userId: string, body: Record<string, unknown> = {}): Promise<string> {
  const link = expectStatus(
    await w.call<{ url: string }>("admin", `/api/v1/users/${userId}/password-reset`, { body, headers: clientAddress() }),
    201,
    "password reset link",
  );
  return link.url.split("/reset-password/")[1]!;
}
