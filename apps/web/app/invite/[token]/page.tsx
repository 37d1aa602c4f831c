import { describeInvite } from "@arbiter/core";
import { AcceptInviteForm } from "./accept-invite-form";

export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await describeInvite(token);
  return (
    <main className="login">
      <h1>Join Arbiter</h1>
      {invite ? (
        <>
          <p>
            You are invited as <strong>{invite.role}</strong>
            {invite.campaignName ? (
              <>
                {" "}
                to <strong>{invite.campaignName}</strong>
              </>
            ) : null}
            .
          </p>
          <AcceptInviteForm token={token} email={invite.email} />
        </>
      ) : (
        <p role="alert" className="error">
          This invite link is not valid: it was already used or has expired. Ask your admin for a new one.
        </p>
      )}
    </main>
  );
}
