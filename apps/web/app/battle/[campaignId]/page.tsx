import { notFound } from "next/navigation";
import { AppError, getCampaign } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { BattleArena } from "@/components/battle/battle-arena";
import { MediaPolicyProvider } from "@/components/annotate/content";
import { requirePageRole } from "@/lib/page-guards";

export const dynamic = "force-dynamic";

/** A live battle: the annotator's prompt, anonymous answers streamed side by side, the vote, the names. */
export default async function BattlePage({ params }: { params: Promise<{ campaignId: string }> }) {
  const actor = await requirePageRole("annotator", "admin");
  const { campaignId } = await params;
  const campaign = await getCampaign({ actor, campaignId }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  const live = campaign.config.live;
  if (!live?.enabled || campaign.taskType === "rationale") notFound();
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <MediaPolicyProvider allowedHosts={campaign.config.mediaHosts ?? []}>
          <BattleArena
            campaignId={campaign.id}
            campaignName={campaign.name}
            taskType={campaign.taskType}
            promptSource={live.promptSource}
            maxPromptChars={live.maxPromptChars}
            allowTie={campaign.config.allowTie}
            allowBothBad={campaign.config.allowBothBad}
            active={campaign.status === "active"}
          />
        </MediaPolicyProvider>
      </main>
    </>
  );
}
