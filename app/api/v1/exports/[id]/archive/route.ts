// GET /api/v1/exports/<id>/archive: every file of a finished export and its manifest as one tar
// archive (export-<id>.tar, a folder export-<id>/ inside), streamed.
import { Readable } from "node:stream";
import { guarded } from "@/lib/http/route";
import { exportArchive } from "@/lib/io/export/files";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded<Ctx>({ role: "researcher", scope: "export" }, async (_request, { params }) => {
  const id = ZRowIdParam.parse((await params).id);
  const archive = await exportArchive(id);
  return new Response(Readable.toWeb(archive) as ReadableStream, {
    headers: {
      "content-type": "application/x-tar",
      "content-disposition": `attachment; filename="export-${id}.tar"`,
      "cache-control": "no-store",
    },
  });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
