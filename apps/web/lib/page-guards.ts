import { forbidden, redirect } from "next/navigation";
import type { Actor } from "@arbiter/core";
import type { Role } from "@arbiter/db";
import { getPageActor } from "./actor";

/** Pages check roles too, not only the API: signed out → login, wrong role → 403. */
export async function requirePageRole(...roles: Role[]): Promise<Actor> {
  const actor = await getPageActor();
  if (!actor) redirect("/login");
  if (!roles.includes(actor.role)) forbidden();
  return actor;
}
