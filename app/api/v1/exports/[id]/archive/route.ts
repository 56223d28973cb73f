// GET /api/v1/exports/<id>/archive: every file of a finished export and its manifest as one tar
// archive (export-<id>.tar, a folder export-<id>/ inside), streamed.
import { Readable } from "node:stream";
import { guarded } from "@/lib/http/route";
import { exportArchive } from "@/lib/io/export/files";
import { ZRowIdParam } from "@/lib/db/values";

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
