// PUT /api/v1/uploads/<id>?offset=N (body: the bytes at N): appends a chunk, streamed to disk.
// GET: how many bytes arrived (to resume an interrupted upload).
import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { guarded } from "@/lib/http/route";
import { appendChunk, getUpload } from "@/lib/io/uploads";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };
const ZOffset = z.coerce.number().int().min(0);

export const PUT = guarded<Ctx>({ role: "researcher", scope: "import" }, async (request, { params, user }) => {
  const { id } = await params;
  const offset = ZOffset.parse(new URL(request.url).searchParams.get("offset"));
  return NextResponse.json(await appendChunk(db(), { id, userId: user.id, offset, body: request.body }));
});

export const GET = guarded<Ctx>({ role: "researcher", scope: "import" }, async (_request, { params, user }) => {
  const upload = await getUpload(db(), (await params).id, user.id);
  return NextResponse.json({ id: upload.id, fileName: upload.fileName, size: Number(upload.size), received: Number(upload.received), complete: !!upload.completedAt });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PATCH, DELETE, OPTIONS } = otherMethods("GET", "PUT");
