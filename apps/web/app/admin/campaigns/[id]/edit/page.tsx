import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError, getCampaign } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { CampaignBuilder } from "@/components/builder/campaign-builder";
import { DuplicateButton } from "@/components/builder/duplicate-button";
import { ItemCounts } from "@/components/builder/item-counts";
import { ImportPanel } from "@/components/builder/import-panel";
import { MembersPanel } from "@/components/builder/members-panel";
import { requirePageRole } from "@/lib/page-guards";
import { StatusControls } from "../../../../campaigns/[id]/status-controls";

export const dynamic = "force-dynamic";

export default async function EditCampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requirePageRole("admin");
  const { id } = await params;
  const query = await searchParams;
  const campaign = await getCampaign({ actor, campaignId: id }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  const p = campaign.progress;
  return (
    <>
      <AppHeader actor={actor} />
      <main className="builder-page">
        <p>
          <Link href="/admin">← Admin</Link> · <Link href={`/campaigns/${campaign.id}`}>Campaign page (progress, judgments, export)</Link>
        </p>
        <h1>{campaign.name}</h1>
        {query.created && (
          <p role="status" className="notice">
            Campaign created as a draft. Import items and add annotators below, then start it.
          </p>
        )}
        {query.duplicated && (
          <p role="status" className="notice">
            This is a copy (draft) with the same settings and items; no judgments were copied.
          </p>
        )}
        <p>
          <span className="badge">{campaign.status}</span> · {p.itemCount.toLocaleString()} items (<ItemCounts progress={p} />) · {p.memberCount} members ·{" "}
          {p.humanJudgments.toLocaleString()} human judgments
        </p>
        <StatusControls campaignId={campaign.id} status={campaign.status} />
        <ImportPanel campaignId={campaign.id} disabled={campaign.status === "closed"} />
        <MembersPanel campaignId={campaign.id} />
        <h2>Settings</h2>
        <CampaignBuilder campaign={campaign} />
        <p>
          <DuplicateButton campaignId={campaign.id} />
        </p>
      </main>
    </>
  );
}
