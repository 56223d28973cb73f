"use server";
// Server actions of imports and exports: thin (validate, check the role, call lib/io).
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { ZRowId } from "@/lib/db/values";
import { runAction } from "@/lib/http/action";
import { deleteExportFiles } from "./export/files";
import { repeatExport, startExport } from "./export/start";
import { rerunImport, startImportFromUpload } from "./start";
import { ZStartImport, type TStartImport } from "./schema";

export async function startImportAction(input: TStartImport) {
  return runAction(async () => {
    const user = await requireRole("researcher");
    return startImportFromUpload(ZStartImport.parse(input), user.id, "ui");
  });
}

export async function rerunImportAction(input: { id: number; strict?: boolean }) {
  return runAction(async () => {
    const { id, strict } = z.object({ id: ZRowId, strict: z.boolean().optional() }).parse(input);
    const user = await requireRole("researcher");
    return rerunImport(id, user.id, "ui", { strict });
  });
}

export async function startExportAction(options: unknown) {
  return runAction(async () => {
    const user = await requireRole("researcher");
    return startExport(options, user.id, "ui");
  });
}

export async function deleteExportFilesAction(input: { id: number }) {
  return runAction(async () => {
    const { id } = z.object({ id: ZRowId }).parse(input);
    const user = await requireRole("researcher");
    await deleteExportFiles(id, user);
    return { id };
  });
}

export async function repeatExportAction(input: { id: number }) {
  return runAction(async () => {
    const { id } = z.object({ id: ZRowId }).parse(input);
    const user = await requireRole("researcher");
    return repeatExport(id, user.id, "ui");
  });
}
