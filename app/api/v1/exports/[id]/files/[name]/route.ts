// GET /api/v1/exports/<id>/files/<name>: downloads one file of a finished export (or its
// manifest.json), streamed from the data folder. Only names the manifest lists are served.
import { createReadStream } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { guarded } from "@/lib/http/route";
import { exportFile } from "@/lib/io/export/files";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string; name: string }> };

const TYPES: Record<string, string> = { ".jsonl": "application/x-ndjson", ".csv": "text/csv; charset=utf-8", ".parquet": "application/vnd.apache.parquet", ".json": "application/json" };

export const GET = guarded<Ctx>({ role: "researcher", scope: "export" }, async (_request, { params }) => {
  const { id: rawId, name } = await params;
  const id = ZRowIdParam.parse(rawId);
  const { file, size } = await exportFile(id, name);
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "content-type": TYPES[path.extname(name)] ?? "application/octet-stream",
      "content-length": String(size),
      "content-disposition": `attachment; filename="export-${id}-${name}"`,
      "cache-control": "no-store",
    },
  });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
