import { notFound } from "next/navigation";
import { AppError, getCampaign } from "@arbiter/core";
import { requirePageRole } from "@/lib/page-guards";
import { MediaPolicyProvider } from "@/components/annotate/content";
import { Workspace } from "@/components/annotate/workspace";

export const dynamic = "force-dynamic";

export default async function AnnotatePage({ params }: { params: Promise<{ campaignId: string }> }) {
  const actor = await requirePageRole("annotator", "admin");
  const { campaignId } = await params;
  const campaign = await getCampaign({ actor, campaignId }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  // The same hosts proxy.ts put in this page's CSP: media from anywhere else is never requested.
  return (
    <MediaPolicyProvider allowedHosts={campaign.config.mediaHosts ?? []}>
      <Workspace campaignId={campaign.id} campaignName={campaign.name} guidelines={campaign.config.guidelines} email={actor.email} />
    </MediaPolicyProvider>
  );
}
