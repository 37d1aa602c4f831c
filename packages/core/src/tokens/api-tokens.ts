import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getPrisma, getRawDb, type Role } from "@arbiter/db";
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

/** Resolves a bearer token to its user; expired, revoked or unknown tokens are 401. One statement: every scripted request pays it. */
export async function authenticateApiToken(token: string): Promise<Actor> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) throw new AppError("unauthorized", "Invalid bearer token.");
  const db = getRawDb();
  const [record] = await db.$queryRaw<Array<{ id: string; usable: boolean; userId: string; email: string; role: Role; disabled: boolean }>>`
    SELECT t.id, (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at >= now())) AS usable,
           u.id AS "userId", u.email, u.role, u.disabled
    FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ${hashSecret(token)}`;
  if (!record || !record.usable) throw new AppError("unauthorized", "Invalid or expired bearer token.");
  if (record.disabled) throw new AppError("forbidden", "This account is disabled.");
  const now = Date.now();
  if ((lastUsedWrites.get(record.id) ?? 0) < now - 60_000) {
    if (lastUsedWrites.size > 100_000) lastUsedWrites.clear();
    lastUsedWrites.set(record.id, now);
    await db.$executeRaw`UPDATE api_tokens SET last_used_at = ${new Date(now)} WHERE id = ${record.id}::uuid`;
  }
  return { userId: record.userId, email: record.email, role: record.role, via: "token" };
}
