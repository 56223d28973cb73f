// What of a finished export may be downloaded: the files its manifest lists, and the manifest
// itself; one at a time, or all of them as one tar archive. And their removal from the data
// folder, which keeps the export's row and manifest as the record of what was exported.
import { existsSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { create as createTar } from "tar";
import { recordAudit } from "@/lib/audit/record";
import { hasRole, type TRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { exportDir } from "./run";

const MISSING = "the file is not on this instance (see README: several instances need a shared data folder)";

/** The names a finished export serves, in the manifest's order with manifest.json last; NOT_FOUND otherwise. */
async function exportFileNames(id: number): Promise<{ dir: string; names: string[]; finishedAt: Date }> {
  const row = await db().export.findUnique({ where: { id }, select: { status: true, manifest: true, filesDeletedAt: true, finishedAt: true, createdAt: true } });
  if (!row || row.status !== "completed") throw new AppError("NOT_FOUND", "no such export, or it has not finished");
  if (row.filesDeletedAt) throw new AppError("NOT_FOUND", `the files of export ${id} were deleted on ${row.filesDeletedAt.toISOString().slice(0, 10)}`);
  const files = (row.manifest as { files?: { name: string }[] } | null)?.files ?? [];
  return { dir: exportDir(id), names: [...files.map((f) => f.name), "manifest.json"], finishedAt: new Date(row.finishedAt ?? row.createdAt) };
}

/** One file of a finished export, with its size; only names the export serves. */
export async function exportFile(id: number, name: string): Promise<{ file: string; size: number }> {
  const { dir, names } = await exportFileNames(id);
  if (!names.includes(name)) throw new AppError("NOT_FOUND", "no such file");
  const file = path.join(dir, name);
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new AppError("NOT_FOUND", MISSING);
  return { file, size };
}

/**
 * Every file of a finished export as one tar stream, under a folder `export-<id>/` (tar, not zip:
 * it streams without holding a file's bytes to checksum them first, and every system's tar reads
 * it). Entries carry no owner or host facts and the export's finish time, so the same export
 * always gives the same archive.
 */
export async function exportArchive(id: number): Promise<Readable> {
  const { dir, names, finishedAt } = await exportFileNames(id);
  if (names.some((name) => !existsSync(path.join(dir, name)))) throw new AppError("NOT_FOUND", MISSING);
  const pack = createTar({ cwd: dir, portable: true, mtime: finishedAt, prefix: `export-${id}` }, names);
  return Readable.from(pack);
}

/** Whoever made an export, and admins, may delete its files. */
export const mayDeleteExportFiles = (createdById: string | null, actor: { id: string; role: TRole }) =>
  createdById === actor.id || hasRole(actor.role, "admin");

/**
 * Removes a finished export's files from the data folder: allowed to whoever made the export and
 * to admins. The row is marked first, in one transaction with its audit event, so that from then
 * on no download starts; a download already streaming keeps its open file until it ends.
 */
export async function deleteExportFiles(id: number, actor: { id: string; role: TRole }): Promise<void> {
  await db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string; created_by_id: string | null; files_deleted_at: Date | null }[]>`
      SELECT status::text, created_by_id, files_deleted_at FROM exports WHERE id = ${id} FOR UPDATE`;
    if (!row) throw new AppError("NOT_FOUND", `no export ${id}`);
    if (row.files_deleted_at) throw new AppError("CONFLICT", `the files of export ${id} were already deleted`);
    if (row.status !== "completed") throw new AppError("CONFLICT", `export ${id} has no files to delete (it is ${row.status})`);
    if (!mayDeleteExportFiles(row.created_by_id, actor)) {
      throw new AppError("FORBIDDEN", "Only whoever made an export, or an admin, may delete its files.");
    }
    await tx.export.update({ where: { id }, data: { filesDeletedAt: new Date(), filesDeletedById: actor.id } });
    await recordAudit(tx, { actorId: actor.id, action: "export.delete_files", entity: "export", entityId: id });
  });
  rmSync(exportDir(id), { recursive: true, force: true });
}
