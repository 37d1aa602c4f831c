import { getConfig } from "@arbiter/config";
import { listOwnApiTokens } from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { requirePageRole } from "@/lib/page-guards";
import { AccountForms } from "./account-forms";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const actor = await requirePageRole("admin", "researcher", "annotator");
  const tokens = await listOwnApiTokens({ actor });
  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <h1>Your account</h1>
        <p>
          Signed in as <strong>{actor.email}</strong> ({actor.role}).
        </p>
        <AccountForms email={actor.email} initialTokens={tokens} maxTokenDays={getConfig().ARBITER_TOKEN_TTL_DAYS} />
      </main>
    </>
  );
}
