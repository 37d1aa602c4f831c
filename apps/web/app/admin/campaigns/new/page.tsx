import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { CampaignBuilder } from "@/components/builder/campaign-builder";
import { requirePageRole } from "@/lib/page-guards";

export const dynamic = "force-dynamic";

export default async function NewCampaignPage() {
  const actor = await requirePageRole("admin");
  return (
    <>
      <AppHeader actor={actor} />
      <main className="builder-page">
        <p>
          <Link href="/admin">← Admin</Link>
        </p>
        <h1>New campaign</h1>
        <p className="muted">
          Set the task up and watch the annotator page change on the right. After creating it you can import items, add annotators and start it.
        </p>
        <CampaignBuilder />
      </main>
    </>
  );
}
