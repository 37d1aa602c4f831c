import { redirect } from "next/navigation";
import { getPageActor } from "@/lib/actor";

export const dynamic = "force-dynamic";

export default async function Home() {
  const actor = await getPageActor();
  if (!actor) redirect("/login");
  redirect(actor.role === "annotator" ? "/annotate" : actor.role === "admin" ? "/admin" : "/campaigns");
}
