import Link from "next/link";
import type { Actor } from "@arbiter/core/client";
import { Brand } from "./brand";
import { SignOutButton } from "./sign-out-button";

export function AppHeader({ actor }: { actor: Actor }) {
  return (
    <header className="app-header">
      <Brand href="/" />
      <nav aria-label="Main">
        {actor.role === "annotator" && <Link href="/annotate">My tasks</Link>}
        {actor.role !== "annotator" && <Link href="/campaigns">Campaigns</Link>}
        {actor.role === "admin" && <Link href="/admin">Admin</Link>}
        {actor.role !== "annotator" && <Link href="/docs/api">API</Link>}
        <Link href="/account">Account</Link>
      </nav>
      <span className="who" aria-label="Signed in as">
        {actor.email} · {actor.role}
      </span>
      <SignOutButton />
    </header>
  );
}
