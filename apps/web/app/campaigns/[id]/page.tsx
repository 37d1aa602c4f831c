import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError, getCampaign } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { DuplicateButton } from "@/components/builder/duplicate-button";
import { ImportPanel } from "@/components/builder/import-panel";
import { ItemCounts } from "@/components/builder/item-counts";
import { filtersFromSearch } from "@/components/research/judgment-filters";
import { ResearchView } from "@/components/research/research-view";
import { requirePageRole } from "@/lib/page-guards";
import { StatusControls } from "./status-controls";

export const dynamic = "force-dynamic";

export default async function CampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageRole("admin", "researcher");
  const { id } = await params;
  const initialFilters = filtersFromSearch(await searchParams);
  const campaign = await getCampaign({ actor, campaignId: id }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  const p = campaign.progress;
  const percent = p.itemCount ? (100 * p.itemsComplete) / p.itemCount : 0;
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <h1>{campaign.name}</h1>
        <p>
          <span className="badge">{campaign.status}</span> · {campaign.taskType} · overlap {campaign.config.overlap}
        </p>
        {campaign.description && <p className="muted">{campaign.description}</p>}
        <section className="card" aria-label="Progress">
          <p>
            Items complete: <strong>{p.itemsComplete.toLocaleString()}</strong> of {p.itemCount.toLocaleString()} ({percent.toFixed(1)} %)
          </p>
          <div className="progress" aria-label="Progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)}>
            <span style={{ width: `${percent}%` }} />
          </div>
          <dl className="stats">
            <div>
              <dt>Human judgments</dt>
              <dd>{p.humanJudgments.toLocaleString()}</dd>
            </div>
            <div>
              <dt>LLM-judge judgments</dt>
              <dd>{p.judgeJudgments.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Wanted (items × overlap)</dt>
              <dd>{(p.itemCount * campaign.config.overlap).toLocaleString()}</dd>
            </div>
            <div>
              <dt>Members</dt>
              <dd>{p.memberCount}</dd>
            </div>
            <div>
              <dt>Items</dt>
              <dd>
                <ItemCounts progress={p} />
              </dd>
            </div>
          </dl>
        </section>
        <p>
          <Link href={`/campaigns/${campaign.id}/quality`}>Quality dashboard: agreement, annotators, leaderboard</Link>
        </p>
        <p>
          <Link href={`/campaigns/${campaign.id}/routing`}>Judge and routing: LLM judge, human budget, routing dashboard</Link>
        </p>
        {campaign.taskType !== "rationale" && (
          <p>
            <Link href={`/campaigns/${campaign.id}/live`}>Live battles: contestants, test prompts</Link>
          </p>
        )}
        {actor.role === "admin" && (
          <>
            <p className="admin-links">
              <Link className="button" href={`/admin/campaigns/${campaign.id}/edit`}>
                Edit settings and members
              </Link>{" "}
              <DuplicateButton campaignId={campaign.id} />
            </p>
            <StatusControls campaignId={campaign.id} status={campaign.status} />
            <ImportPanel campaignId={campaign.id} disabled={campaign.status === "closed"} />
          </>
        )}
        <ResearchView
          campaignId={campaign.id}
          initialFilters={initialFilters}
          {...(campaign.config.license ? { defaultLicense: campaign.config.license } : {})}
        />
      </main>
    </>
  );
}
