// GET /api/v1/judges: the judges with their endpoint (base URL, model) or rule; never a key.
import { NextResponse } from "next/server";
import { guarded } from "@/lib/http/route";
import { listJudges } from "@/lib/judges/queries";

export const GET = guarded({ role: "viewer", scope: "read" }, async () => NextResponse.json({ data: await listJudges() }));
