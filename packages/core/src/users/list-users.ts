import { getPrisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { toUserView, type UserView } from "./create-user.ts";

export async function listUsers(options: { actor: Actor | null }): Promise<UserView[]> {
  requireRole(options.actor, "admin");
  const users = await getPrisma().user.findMany({ orderBy: { createdAt: "asc" } });
  return users.map(toUserView);
}
