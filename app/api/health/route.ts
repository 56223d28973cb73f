// GET /api/health: 200 {"status":"ok"} while the studio's database answers, else 503
// {"status":"unavailable"} with Retry-After. Open by design: load balancers, orchestrators and
// monitors call it without credentials, and it says nothing but up or down.
import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { databaseHealth } from "@/lib/db/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await databaseHealth(db());
  if (health.ok) return NextResponse.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  console.error(`[health] the database is ${health.reason === "timeout" ? "not answering" : "out of reach"}`);
  return NextResponse.json({ status: "unavailable" }, { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } });
}
