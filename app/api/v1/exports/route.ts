// GET /api/v1/exports: recent exports. POST {kind, datasetId, ...options}: starts an export (runs
// on the server; poll GET /api/v1/exports/<id>, then download its files).
import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { listExports } from "@/lib/io/queries";
import { startExport } from "@/lib/io/export/start";
import { otherMethods } from "@/lib/http/methods";

export const GET = guarded({ role: "researcher", scope: "export" }, async () => NextResponse.json({ exports: await listExports() }));

export const POST = guarded({ role: "researcher", scope: "export" }, async (request, { user }) => {
  return NextResponse.json(await startExport(await readJsonBody(request), user.id, "api"), { status: 202 });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
