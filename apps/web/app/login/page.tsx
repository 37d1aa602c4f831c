import { redirect } from "next/navigation";
import { getPageActor } from "@/lib/actor";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ reset?: string; invited?: string; email?: string | string[] }> }) {
  if (await getPageActor()) redirect("/");
  const { reset, invited, email } = await searchParams;
  // Only a plausible address is filled in (a link could carry anything; React escapes it either way).
  const knownEmail = typeof email === "string" && email.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
  return (
    <main className="login">
      <h1 className="login-title">
        <img src="/logo.svg" alt="" width={30} height={24} />
        Sign in to Arbiter
      </h1>
      {reset === "1" && (
        <p role="status" className="notice">
          Your new password is set. Sign in with it.
        </p>
      )}
      {invited === "1" && (
        <p role="status" className="notice">
          Your account is ready
          {knownEmail ? (
            <>
              {" "}
              for <strong>{knownEmail}</strong>
            </>
          ) : null}
          . Sign in with the password you just chose.
        </p>
      )}
      <LoginForm {...(knownEmail ? { email: knownEmail } : {})} />
    </main>
  );
}
