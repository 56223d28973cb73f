// POST /api/v1/uploads {fileName, size}: starts an upload; then PUT its chunks to /api/v1/uploads/<id>.
import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { ZCreateUpload } from "@/lib/io/schema";
import { CHUNK_BYTES, createUpload } from "@/lib/io/uploads";
import { otherMethods } from "@/lib/http/methods";

export const POST = guarded({ role: "researcher", scope: "import" }, async (request, { user }) => {
  const input = ZCreateUpload.parse(await readJsonBody(request));
  const upload = await createUpload(db(), { ...input, userId: user.id });
  return NextResponse.json({ id: upload.id, chunkBytes: CHUNK_BYTES }, { status: 201 });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
