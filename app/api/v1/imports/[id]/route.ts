// GET /api/v1/imports/<id>: the job's live counters and its first 200 rejected lines.
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { guarded } from "@/lib/http/route";
import { getImportJob } from "@/lib/io/queries";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded<Ctx>({ role: "researcher", scope: "import" }, async (_request, { params }) => {
  const id = ZRowIdParam.parse((await params).id);
  const job = await getImportJob(id);
  if (!job) throw new AppError("NOT_FOUND", `no import job ${id}`);
  return NextResponse.json(job);
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
