// DELETE /api/v1/exports/<id>/files: removes a finished export's files from the data folder (its
// maker or an admin); the export's record and manifest stay. 204 when done.
import { guarded } from "@/lib/http/route";
import { deleteExportFiles } from "@/lib/io/export/files";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };

export const DELETE = guarded<Ctx>({ role: "researcher", scope: "export" }, async (_request, { params, user }) => {
  await deleteExportFiles(ZRowIdParam.parse((await params).id), user);
  return new Response(null, { status: 204 });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
