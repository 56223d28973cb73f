// Starting an import of an uploaded file: shared by the REST route and the wizard's action.
import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { warmDataset } from "@/lib/stats/warm";
import { createImportJob } from "./import-job";
import { startImportJob } from "./jobs";
import type { TStartImport } from "./schema";
import { getUpload, uploadPath } from "./uploads";

export async function startImportFromUpload(input: TStartImport, actorId: string, source: "ui" | "api") {
  const upload = await getUpload(db(), input.uploadId, actorId);
  if (!upload.completedAt) throw new AppError("CONFLICT", "the upload is not complete yet");
  const job = await createImportJob(db(), {
    dataset: input.dataset,
    kind: input.kind,
    fileName: upload.fileName,
    filePath: uploadPath(upload.id),
    format: input.format,
    mapping: input.mapping,
    strict: input.strict,
    annotator: input.annotator,
    judge: input.judge,
    source,
    uploadId: upload.id,
    actorId,
  });
  startImportJob(db(), job.id, { settle: warmDataset });
  return { id: job.id };
}
