// Starting an export from the app (REST route and the exports page's action).
import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { startExportJob } from "../jobs";
import { createExport } from "./run";

export async function startExport(options: unknown, actorId: string, source: "ui" | "api") {
  const row = await createExport(db(), { options, actorId, source });
  startExportJob(db(), env().DATABASE_URL!, row.id);
  return { id: row.id };
}
