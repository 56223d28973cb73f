// Inputs of the import and export endpoints and actions.
import { z } from "zod";
import { IMPORT_KINDS } from "./import-job";
import { ZMapping } from "./mapping";
import { FORMATS } from "./sources";

export const ZCreateUpload = z.object({ fileName: z.string().trim().min(1).max(255), size: z.number().int().min(0) });

const ZImportBase = z.object({
  uploadId: z.string().uuid(),
  kind: z.enum(IMPORT_KINDS).default("items"),
  format: z.enum(FORMATS).optional(),
  mapping: ZMapping.default({}),
  annotator: z.string().trim().max(200).optional(),
  judge: z.string().trim().max(200).optional(),
});

export const ZPreviewImport = ZImportBase;
export const ZStartImport = ZImportBase.extend({
  dataset: z.string().trim().min(1, "name the dataset").max(200),
  strict: z.boolean().default(false),
});
export type TStartImport = z.infer<typeof ZStartImport>;
