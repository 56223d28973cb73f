// Starting an export from the app (REST route and the exports page's action).
import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { startExportJob } from "../jobs";
import { createExport } from "./run";

export async function startExport(options: unknown, actorId: string, source: "ui" | "api") {
  const row = await createExport(db(), { options, actorId, source });
  startExportJob(db(), env().DATABASE_URL!, row.id);
  return { id: row.id };
}

/**
 * A new export with the options of an earlier one, exactly as stored (including those the form
 * does not offer): on unchanged data it writes byte-identical files, and otherwise the same
 * selection of today's data.
 */
export async function repeatExport(id: number, actorId: string, source: "ui" | "api") {
  const earlier = await db().export.findUnique({ where: { id }, select: { options: true } });
  if (!earlier) throw new AppError("NOT_FOUND", `no export ${id}`);
  return startExport(earlier.options, actorId, source);
}
