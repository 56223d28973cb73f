// GET /api/v1/imports: recent import jobs. POST {uploadId, dataset, kind, mapping, strict, ...}:
// starts an import of an uploaded file (runs on the server; poll GET /api/v1/imports/<id>).
import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { listImportJobs } from "@/lib/io/queries";
import { ZStartImport } from "@/lib/io/schema";
import { startImportFromUpload } from "@/lib/io/start";
import { otherMethods } from "@/lib/http/methods";

export const GET = guarded({ role: "researcher", scope: "import" }, async () => NextResponse.json({ jobs: await listImportJobs() }));

export const POST = guarded({ role: "researcher", scope: "import" }, async (request, { user }) => {
  const input = ZStartImport.parse(await readJsonBody(request));
  return NextResponse.json(await startImportFromUpload(input, user.id, "api"), { status: 202 });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
