import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

// The files come from the repository's top-level public/ (copied into apps/web/public at build).
export const metadata: Metadata = {
  title: "Arbiter",
  description: "Human preference data, collected well.",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
  manifest: "/manifest.webmanifest",
};
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * Rendered per request, every page: Next.js puts the request's CSP nonce (proxy.ts) on its
 * scripts only when it renders them, and a prerendered page (the 404 was one) would carry none.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
