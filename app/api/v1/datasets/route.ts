// GET /api/v1/datasets: the datasets with their counts and judges.
import { NextResponse } from "next/server";
import { guarded } from "@/lib/http/route";
import { listDatasets } from "@/lib/datasets/queries";
import { otherMethods } from "@/lib/http/methods";

export const GET = guarded({ role: "viewer", scope: "read" }, async () => {
  const datasets = await listDatasets();
  return NextResponse.json({ data: datasets });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
