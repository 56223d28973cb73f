// GET /api/v1/exports/<id>/files/<name>: downloads one file of a finished export (or its
// manifest.json), streamed from the data folder. Only names the manifest lists are served.
import { createReadStream, statSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { guarded } from "@/lib/http/route";
import { exportDir } from "@/lib/io/export/run";
import { getExport } from "@/lib/io/queries";
import { ZRowIdParam } from "@/lib/db/values";

type Ctx = { params: Promise<{ id: string; name: string }> };

const TYPES: Record<string, string> = { ".jsonl": "application/x-ndjson", ".csv": "text/csv; charset=utf-8", ".parquet": "application/vnd.apache.parquet", ".json": "application/json" };

export const GET = guarded<Ctx>({ role: "researcher", scope: "export" }, async (_request, { params }) => {
  const { id: rawId, name } = await params;
  const id = ZRowIdParam.parse(rawId);
  const row = await getExport(id);
  const files = (row?.manifest as { files?: { name: string }[] } | null)?.files ?? [];
  if (!row || row.status !== "completed" || !(name === "manifest.json" || files.some((f) => f.name === name))) throw new AppError("NOT_FOUND", "no such file");
  const file = path.join(exportDir(id), name);
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new AppError("NOT_FOUND", "the file is not on this instance (see README: several instances need a shared data folder)");
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "content-type": TYPES[path.extname(name)] ?? "application/octet-stream",
      "content-length": String(size),
      "content-disposition": `attachment; filename="export-${id}-${name}"`,
      "cache-control": "no-store",
    },
  });
});
