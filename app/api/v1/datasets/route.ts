// GET /api/v1/datasets: the datasets with their counts and judges.
import { NextResponse } from "next/server";
import { guarded } from "@/lib/http/route";
import { listDatasets } from "@/lib/datasets/queries";

export const GET = guarded({ role: "viewer", scope: "read" }, async () => {
  const datasets = await listDatasets();
  return NextResponse.json({ data: datasets });
});
