import Link from "next/link";

/** The product's name beside its logo (public/logo.svg), linking to `href`; the link reads "Arbiter". */
export function Brand({ href }: { href: string }) {
  return (
    <Link href={href} className="brand">
      <img src="/logo.svg" alt="" width={25} height={20} className="brand-logo" />
      Arbiter
    </Link>
  );
}
