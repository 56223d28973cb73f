// GET /api/v1/imports/<id>: the job's live counters and its first 200 rejected lines.
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { guarded } from "@/lib/http/route";
import { getImportJob } from "@/lib/io/queries";

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded<Ctx>({ role: "researcher", scope: "import" }, async (_request, { params }) => {
  const id = z.coerce.number().int().positive().parse((await params).id);
  const job = await getImportJob(id);
  if (!job) throw new AppError("NOT_FOUND", `no import job ${id}`);
  return NextResponse.json(job);
});
