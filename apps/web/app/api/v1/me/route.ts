import { requireActor } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => {
  const me = requireActor(actor);
  return { id: me.userId, email: me.email, role: me.role };
});
