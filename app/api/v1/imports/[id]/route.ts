// GET /api/v1/imports/<id>: the job's live counters and its first 200 rejected lines.
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { guarded } from "@/lib/http/route";
import { getImportJob } from "@/lib/io/queries";
import { ZRowIdParam } from "@/lib/db/values";

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded<Ctx>({ role: "researcher", scope: "import" }, async (_request, { params }) => {
  const id = ZRowIdParam.parse((await params).id);
  const job = await getImportJob(id);
  if (!job) throw new AppError("NOT_FOUND", `no import job ${id}`);
  return NextResponse.json(job);
});
