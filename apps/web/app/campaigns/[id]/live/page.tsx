import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError, getCampaign } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { ContestantsPanel } from "@/components/live/contestants-panel";
import { requirePageRole } from "@/lib/page-guards";

export const dynamic = "force-dynamic";

/** Live battles of a campaign: its contestants, added and tested by admins (researchers read). */
export default async function LivePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageRole("admin", "researcher");
  const { id } = await params;
  const campaign = await getCampaign({ actor, campaignId: id }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <p>
          <Link href={`/campaigns/${campaign.id}`}>← {campaign.name}</Link>
        </p>
        <h1>Live battles</h1>
        <p className="muted">
          Annotators write a prompt; two (or K) of these models answer it anonymously, side by side; the vote reveals the names. Keys go by reference: store
          them as campaign secrets on the judge and routing page.
        </p>
        <ContestantsPanel campaignId={campaign.id} taskType={campaign.taskType} canEdit={actor.role === "admin"} initialLive={campaign.config.live ?? null} />
      </main>
    </>
  );
}
