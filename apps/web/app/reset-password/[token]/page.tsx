import { describePasswordReset } from "@arbiter/core";
import { ResetPasswordForm } from "./reset-password-form";

export const dynamic = "force-dynamic";

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await describePasswordReset(token);
  return (
    <main className="login">
      <h1>Set a new password</h1>
      {reset ? (
        <ResetPasswordForm token={token} email={reset.email} />
      ) : (
        <p role="alert" className="error">
          This reset link is not valid: it was already used, has expired, or never existed. Ask your admin for a new one.
        </p>
      )}
    </main>
  );
}
