import { NextResponse } from "next/server";
import { pingDatabase } from "@arbiter/core";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await Promise.race([pingDatabase(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000))]);
    return NextResponse.json({ status: "ok", db: "ok" });
  } catch {
    return NextResponse.json({ status: "degraded", db: "unavailable" }, { status: 503, headers: { "retry-after": "2" } });
  }
}
