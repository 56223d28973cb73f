// POST /api/v1/uploads/<id>/preview {kind, format?, mapping}: the first rows as mapped and a
// validation summary, before an import is started. Writes nothing.
import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { prismaSql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { previewFile } from "@/lib/io/preview";
import { ZPreviewImport } from "@/lib/io/schema";
import { getUpload, uploadPath } from "@/lib/io/uploads";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };

export const POST = guarded<Ctx>({ role: "researcher", scope: "import" }, async (request, { params, user }) => {
  const input = ZPreviewImport.parse({ ...(await readJsonBody(request) as Record<string, unknown>), uploadId: (await params).id });
  const upload = await getUpload(db(), input.uploadId, user.id);
  if (!upload.completedAt) throw new AppError("CONFLICT", "the upload is not complete yet");
  const preview = await previewFile({ path: uploadPath(upload.id), fileName: upload.fileName, kind: input.kind, format: input.format, mapping: input.mapping, annotator: input.annotator, judge: input.judge, importer: { sql: prismaSql(db()), id: user.id } });
  return NextResponse.json(preview);
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
