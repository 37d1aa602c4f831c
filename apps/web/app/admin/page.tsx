import Link from "next/link";
import { listCampaigns, listUsers } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { CampaignTable } from "@/components/campaign-table";
import { requirePageRole } from "@/lib/page-guards";
import { AdminForms } from "./admin-forms";
import { UsersTable } from "./users-table";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const actor = await requirePageRole("admin");
  const [campaigns, users] = await Promise.all([listCampaigns({ actor }), listUsers({ actor })]);
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <h1>Admin</h1>
        <h2>Campaigns</h2>
        <p>
          <Link className="button primary" href="/admin/campaigns/new">
            New campaign (guided builder)
          </Link>
        </p>
        <CampaignTable campaigns={campaigns} hrefFor={(c) => `/campaigns/${c.id}`} />
        <AdminForms campaigns={campaigns.map((c) => ({ id: c.id, name: c.name }))} />
        <h2>Users</h2>
        <UsersTable users={users} selfId={actor.userId} />
      </main>
    </>
  );
}
