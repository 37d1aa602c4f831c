import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError, parseInput } from "../errors.ts";
import { toUserView, type UserView } from "./create-user.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { expireLeasesOfUser, lockUsersForStatusChange, revokeUserCredentials, setUserDisabled } from "../store/users.ts";
import { isUserId } from "./user-id.ts";

export const UserStatusInput = z
  .object({
    status: z.enum(["active", "disabled"]),
  })
  .strict();

export interface UserStatusResult extends UserView {
  /** What disabling ended (zeros when enabling or when nothing was live). */
  revokedTokens: number;
  endedSessions: number;
  releasedLeases: number;
}

/**
 * An admin disables or re-enables an account. Disabling is immediate: the user's sessions end,
 * their tokens are revoked (re-enabling does not bring them back), their open leases go back
 * to the pool, and sign-in is refused until an admin enables them again. An admin cannot
 * disable themselves, and the last active admin cannot be disabled: the active admins' rows are
 * locked first, so two admins disabling each other at once cannot both succeed.
 */
export async function setUserStatus(options: { actor: Actor | null; userId: string; input: unknown }): Promise<UserStatusResult> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(UserStatusInput, options.input);
  if (!isUserId(options.userId)) throw new AppError("not_found", "User not found.");
  const disable = input.status === "disabled";
  return inPrismaTransaction(async (tx) => {
    const locked = await lockUsersForStatusChange(tx, options.userId, actor.userId);
    const target = locked.find((u) => u.id === options.userId);
    if (!target) throw new AppError("not_found", "User not found.");
    const self = locked.find((u) => u.id === actor.userId);
    if (!self || self.disabled || self.role !== "admin") throw new AppError("forbidden", "This needs the admin role.");
    const counts = { revokedTokens: 0, endedSessions: 0, releasedLeases: 0 };
    if (disable) {
      if (target.id === actor.userId) throw new AppError("conflict", "You cannot disable your own account.");
      const activeAdmins = locked.filter((u) => u.role === "admin" && !u.disabled && u.id !== target.id);
      if (target.role === "admin" && activeAdmins.length === 0) throw new AppError("conflict", "The last active admin cannot be disabled.");
      Object.assign(counts, await revokeUserCredentials(tx, { userId: target.id }));
      counts.releasedLeases = await expireLeasesOfUser(tx, target.id);
    }
    const user = await setUserDisabled(tx, target.id, disable);
    if (target.disabled !== disable || counts.revokedTokens + counts.endedSessions + counts.releasedLeases > 0) {
      await writeAudit(tx, {
        actorId: actor.userId,
        action: disable ? "user.disable" : "user.enable",
        targetType: "user",
        targetId: target.id,
        data: { ...counts },
      });
    }
    return { ...toUserView(user), ...counts };
  });
}
