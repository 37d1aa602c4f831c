import { NextResponse } from "next/server";
import { getPrisma } from "@arbiter/db";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await Promise.race([
      getPrisma().$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000)),
    ]);
    return NextResponse.json({ status: "ok", db: "ok" });
  } catch {
    return NextResponse.json({ status: "degraded", db: "unavailable" }, { status: 503, headers: { "retry-after": "2" } });
  }
}
