// GET /api/v1/judges: the judges with their endpoint (base URL, model) or rule; never a key.
import { NextResponse } from "next/server";
import { guarded } from "@/lib/http/route";
import { listJudges } from "@/lib/judges/queries";
import { otherMethods } from "@/lib/http/methods";

export const GET = guarded({ role: "viewer", scope: "read" }, async () => NextResponse.json({ data: await listJudges() }));

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
