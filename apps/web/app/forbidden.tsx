import Link from "next/link";

export default function Forbidden() {
  return (
    <main>
      <h1>Not allowed</h1>
      <p>Your account does not have access to this page.</p>
      <Link href="/">Go to your start page</Link>
    </main>
  );
}
