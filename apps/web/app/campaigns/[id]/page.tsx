import { notFound } from "next/navigation";
import { AppError, getCampaign } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { requirePageRole } from "@/lib/page-guards";
import { StatusControls } from "./status-controls";

export const dynamic = "force-dynamic";

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageRole("admin", "researcher");
  const { id } = await params;
  const campaign = await getCampaign({ actor, campaignId: id }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  const p = campaign.progress;
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <h1>{campaign.name}</h1>
        <p><span className="badge">{campaign.status}</span> · {campaign.taskType} · overlap {campaign.config.overlap}</p>
        <div className="card">
          <p>Items complete: <strong>{p.itemsComplete}</strong> of {p.itemCount} · human judgments {p.humanJudgments} · judge judgments {p.judgeJudgments} · members {p.memberCount}</p>
          <div className="progress" aria-label="Progress"><span style={{ width: `${p.itemCount ? (100 * p.itemsComplete) / p.itemCount : 0}%` }} /></div>
        </div>
        {actor.role === "admin" && <StatusControls campaignId={campaign.id} status={campaign.status} />}
      </main>
    </>
  );
}
