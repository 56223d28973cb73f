// GET /api/v1/exports/<id>: status, options, and (when done) the manifest.
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { guarded } from "@/lib/http/route";
import { getExport } from "@/lib/io/queries";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded<Ctx>({ role: "researcher", scope: "export" }, async (_request, { params }) => {
  const id = ZRowIdParam.parse((await params).id);
  const row = await getExport(id);
  if (!row) throw new AppError("NOT_FOUND", `no export ${id}`);
  return NextResponse.json(row);
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
