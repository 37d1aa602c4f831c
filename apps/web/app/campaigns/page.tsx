import { listCampaigns } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { CampaignTable } from "@/components/campaign-table";
import { requirePageRole } from "@/lib/page-guards";

export const dynamic = "force-dynamic";

export default async function CampaignsPage() {
  const actor = await requirePageRole("admin", "researcher");
  const campaigns = await listCampaigns({ actor });
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <h1>Campaigns</h1>
        <CampaignTable campaigns={campaigns} hrefFor={(c) => `/campaigns/${c.id}`} />
      </main>
    </>
  );
}
