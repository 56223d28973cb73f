// What of a finished export may be downloaded: the files its manifest lists, and the manifest
// itself; one at a time, or all of them as one tar archive.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { create as createTar } from "tar";
import { AppError } from "@/lib/errors";
import { getExport } from "../queries";
import { exportDir } from "./run";

const MISSING = "the file is not on this instance (see README: several instances need a shared data folder)";

/** The names a finished export serves, in the manifest's order with manifest.json last; NOT_FOUND otherwise. */
async function exportFileNames(id: number): Promise<{ dir: string; names: string[]; finishedAt: Date }> {
  const row = await getExport(id);
  if (!row || row.status !== "completed") throw new AppError("NOT_FOUND", "no such export, or it has not finished");
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
