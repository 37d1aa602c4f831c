import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError, getRoutingDashboard, listCampaignSecrets, getCampaign } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { RoutingWorkspace } from "@/components/routing/routing-workspace";
import { requirePageRole } from "@/lib/page-guards";

export const dynamic = "force-dynamic";

/** Judge and routing settings of a campaign with its routing dashboard (admins edit, researchers read). */
export default async function RoutingPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageRole("admin", "researcher");
  const { id } = await params;
  const campaign = await getCampaign({ actor, campaignId: id }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  const [dashboard, secrets] = await Promise.all([
    getRoutingDashboard({ actor, campaignId: campaign.id }),
    listCampaignSecrets({ actor, campaignId: campaign.id }),
  ]);
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <p>
          <Link href={`/campaigns/${campaign.id}`}>← {campaign.name}</Link>
        </p>
        <h1>Judge and routing</h1>
        <p className="muted">
          An LLM judge labels items cheaply; humans label the calibration sample and the items where the judge is most likely to be wrong. The router learns
          that from items with both labels and spends the human budget accordingly.
        </p>
        <RoutingWorkspace
          loadedAt={new Date().toISOString()}
          campaignId={campaign.id}
          campaignStatus={campaign.status}
          taskType={campaign.taskType}
          canEdit={actor.role === "admin"}
          initialDashboard={dashboard}
          initialSecrets={secrets}
        />
      </main>
    </>
  );
}
