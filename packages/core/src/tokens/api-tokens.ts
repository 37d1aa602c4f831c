import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getPrisma } from "@arbiter/db";
import { hashPassword, verifyPassword } from "@arbiter/auth";
import { AppError, parseInput } from "../errors.ts";
import type { Actor } from "../access/actor.ts";
import { hashSecret } from "../invites/create-invite.ts";
import { writeAudit } from "../audit/write-audit.ts";

export const TokenCreateInput = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(100).optional(),
  expiresInDays: z.number().min(0.01).max(3650).optional(),
}).strict();

const TOKEN_PREFIX = "arb_";

/** Exchanges email + password for a bearer token; only its SHA-256 is stored. */
export async function createApiToken(options: { input: unknown }) {
  const input = parseInput(TokenCreateInput, options.input);
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { email: input.email }, include: { accounts: { where: { providerId: "credential" } } } });
  const hash = user?.accounts[0]?.password;
  // Same message and similar work whether or not the user exists (no account enumeration by timing).
  const ok = hash ? await verifyPassword(hash, input.password) : (await hashPassword(input.password), false);
  if (!user || !ok) throw new AppError("unauthorized", "Email or password is incorrect.");
  if (user.disabled) throw new AppError("forbidden", "This account is disabled.");
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const record = await prisma.$transaction(async (tx) => {
    const created = await tx.apiToken.create({ data: { userId: user.id, name: input.name ?? "script", tokenHash: hashSecret(token), prefix: token.slice(0, 10), expiresAt } });
    await writeAudit(tx, { actorId: user.id, action: "token.create", targetType: "api_token", targetId: created.id });
    return created;
  });
  return { token, id: record.id, name: record.name, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
}

const lastUsedWrites = new Map<string, number>();

/** Resolves a bearer token to its user; expired, revoked or unknown tokens are 401. */
export async function authenticateApiToken(token: string): Promise<Actor> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) throw new AppError("unauthorized", "Invalid bearer token.");
  const prisma = getPrisma();
  const record = await prisma.apiToken.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  if (!record || record.revokedAt || (record.expiresAt && record.expiresAt < new Date())) throw new AppError("unauthorized", "Invalid or expired bearer token.");
  if (record.user.disabled) throw new AppError("forbidden", "This account is disabled.");
  const now = Date.now();
  if ((lastUsedWrites.get(record.id) ?? 0) < now - 60_000) {
    lastUsedWrites.set(record.id, now);
    await prisma.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { userId: record.user.id, email: record.user.email, role: record.user.role, via: "token" };
}
