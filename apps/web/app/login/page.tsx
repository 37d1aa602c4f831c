import { redirect } from "next/navigation";
import { getPageActor } from "@/lib/actor";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ reset?: string }> }) {
  if (await getPageActor()) redirect("/");
  const { reset } = await searchParams;
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
      <LoginForm />
    </main>
  );
}
