import { requireRole, type Actor } from "../access/actor.ts";
import { listUsersByCreation } from "../store/users.ts";
import { toUserView, type UserView } from "./create-user.ts";

export async function listUsers(options: { actor: Actor | null }): Promise<UserView[]> {
  requireRole(options.actor, "admin");
  const users = await listUsersByCreation();
  return users.map(toUserView);
}
