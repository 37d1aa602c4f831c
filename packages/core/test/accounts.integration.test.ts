import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma } from "@arbiter/db";
import { AppError } from "../src/errors.ts";
import { hashSecret } from "../src/invites/create-invite.ts";
import { acceptPasswordReset } from "../src/password-resets/accept-password-reset.ts";
import { createPasswordReset } from "../src/password-resets/create-password-reset.ts";
import { authenticateApiToken, createApiToken } from "../src/tokens/api-tokens.ts";
import { revokeApiToken } from "../src/tokens/revoke-api-token.ts";
import { setUserStatus } from "../src/users/set-user-status.ts";
import { actorFor, createTestUser } from "../src/testing/builders.ts";

/**
 * What the HTTP tests (apps/web/test/security-accounts.integration.test.ts) cannot see from
 * outside: secrets at rest, the audit trail, and the rules that only a stale caller can reach.
 */

afterAll(async () => {
  await disconnectPrisma();
});

async function appError(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail with an AppError").toBeInstanceOf(AppError);
  return error as AppError;
}

describe("account secrets at rest and in the audit log", () => {
  it("a reset link's secret is stored only as its SHA-256 and appears in no audit entry; using it is audited", async () => {
    const admin = await createTestUser({ role: "admin", password: "admin-password-1" });
    const user = await createTestUser({ role: "annotator", password: "user-password-1" });
    const link = await createPasswordReset({ actor: actorFor(admin), userId: user.id, input: {}, baseUrl: "http://arbiter.test" });
    const secret = link.url.split("/reset-password/")[1]!;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const prisma = getPrisma();
    const row = await prisma.passwordReset.findUniqueOrThrow({ where: { id: link.id } });
    expect(row.tokenHash).toBe(hashSecret(secret));
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    await acceptPasswordReset({ input: { token: secret, password: "set-by-the-link" } });
    const stored = await prisma.$queryRaw<Array<{ row: string }>>`
      SELECT row_to_json(r)::text AS row FROM password_resets r WHERE r.user_id = ${user.id}
      UNION ALL SELECT row_to_json(a)::text FROM audit_log a WHERE a.target_id = ${user.id} OR a.actor_id = ${user.id}`;
    expect(stored.map((r) => JSON.parse(r.row).action).filter(Boolean)).toEqual(
      expect.arrayContaining(["user.password_reset.create", "user.password_reset.accept"]),
    );
    for (const { row: text } of stored) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain("set-by-the-link");
    }
  });

  it("revoking and disabling are audited with who did it; a revoked token stays revoked after re-enabling", async () => {
    const admin = await createTestUser({ role: "admin", password: "admin-password-2" });
    const user = await createTestUser({ role: "researcher", password: "user-password-2" });
    const first = await createApiToken({ input: { email: user.email, password: "user-password-2", name: "first" } });
    const second = await createApiToken({ input: { email: user.email, password: "user-password-2", name: "second" } });
    await revokeApiToken({ actor: actorFor(admin), tokenId: first.id });
    const disabled = await setUserStatus({ actor: actorFor(admin), userId: user.id, input: { status: "disabled" } });
    expect(disabled).toMatchObject({ disabled: true, revokedTokens: 1 });
    await setUserStatus({ actor: actorFor(admin), userId: user.id, input: { status: "active" } });
    for (const token of [first.token, second.token]) expect((await appError(authenticateApiToken(token))).code).toBe("unauthorized");
    const audit = await getPrisma().auditLog.findMany({ where: { actorId: admin.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.targetId])).toEqual([
      ["token.revoke", first.id],
      ["user.disable", user.id],
      ["user.enable", user.id],
    ]);
  });
});

describe("rules a stale caller reaches", () => {
  it("an admin who was disabled meanwhile cannot disable anyone (their request resolved before)", async () => {
    const [a, b, c] = await Promise.all([createTestUser({ role: "admin" }), createTestUser({ role: "admin" }), createTestUser({ role: "annotator" })]);
    await setUserStatus({ actor: actorFor(a), userId: b.id, input: { status: "disabled" } });
    expect((await appError(setUserStatus({ actor: actorFor(b), userId: c.id, input: { status: "disabled" } }))).code).toBe("forbidden");
    expect((await appError(setUserStatus({ actor: actorFor(b), userId: a.id, input: { status: "disabled" } }))).code).toBe("forbidden");
    const users = await getPrisma().user.findMany({ where: { id: { in: [a.id, c.id] } } });
    expect(users.every((u) => !u.disabled)).toBe(true);
  });

  it("a user id that is not a UUID, or names nobody, is a 404 before anything is touched", async () => {
    const admin = await createTestUser({ role: "admin" });
    for (const userId of ["not-a-uuid", "00000000-0000-4000-8000-000000000000", "x\u0000"]) {
      expect((await appError(setUserStatus({ actor: actorFor(admin), userId, input: { status: "disabled" } }))).code).toBe("not_found");
      expect((await appError(createPasswordReset({ actor: actorFor(admin), userId, input: {}, baseUrl: "http://arbiter.test" }))).code).toBe("not_found");
    }
  });
});
