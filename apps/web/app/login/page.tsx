import { redirect } from "next/navigation";
import { getPageActor } from "@/lib/actor";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await getPageActor()) redirect("/");
  return (
    <main className="login">
      <h1>Sign in to Arbiter</h1>
      <LoginForm />
    </main>
  );
}
