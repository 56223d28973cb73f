// What an export can be asked for. Stored as given (the export's `options`) and in its manifest.
import { z } from "zod";
import { ZRowIdParam } from "@/lib/db/values";

// Messages that name the field: the export form shows them as they are.
const SEED = "the seed must be a whole number from 0 to 2147483647";
const ZSeed = z.coerce.number({ error: SEED }).int(SEED).min(0, SEED).max(2 ** 31 - 1, SEED).default(0);
const fraction = (split: string) => {
  const message = `the ${split} fraction must be a number from 0 to 1`;
  return z.number({ error: message }).min(0, message).max(1, message);
};
/** Fractions of questions in train / validation / test (by question: no question in two splits). */
export const ZSplits = z
  .object({ train: fraction("train"), validation: fraction("validation"), test: fraction("test") })
  .refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-9, "split fractions must add up to 1")
  .default({ train: 1, validation: 0, test: 0 });

export const ZDistillationOptions = z.object({
  kind: z.literal("distillation"),
  datasetId: ZRowIdParam,
  /** the judge whose verdicts are the targets */
  teacherJudgeId: ZRowIdParam,
  /** an expert gold label (correct/incorrect) replaces the teacher's verdict */
  expertOverride: z.boolean().default(true),
  /** leave out items the teacher answered unparseably even when an expert label could stand in */
  dropUnparseable: z.boolean().default(true),
  /** keep only items where these two judges gave the same YES/NO verdict */
  agreeJudgeIds: z.tuple([ZRowIdParam, ZRowIdParam]).optional(),
  /** downsample the larger class of each split to the size of the smaller */
  balance: z.boolean().default(false),
  /** add the judge's system message (the paper's optional "You are a helpful assistant.") */
  systemMessage: z.boolean().default(false),
  splits: ZSplits,
  seed: ZSeed,
  parquet: z.boolean().default(true),
});

export const ZRlvrOptions = z.object({
  kind: z.literal("rlvr"),
  datasetId: ZRowIdParam,
  subjects: z.array(z.string().min(1)).default([]),
  /** system message for questions imported without one */
  systemPrompt: z.string().max(10_000).optional(),
  splits: ZSplits,
  seed: ZSeed,
  parquet: z.boolean().default(true),
});

export const ZFlatOptions = z.object({
  kind: z.literal("flat"),
  datasetId: ZRowIdParam,
  /** judges to include (default: every judge with judgments in the dataset) */
  judgeIds: z.array(ZRowIdParam).default([]),
  format: z.enum(["jsonl", "csv"]).default("jsonl"),
  /**
   * CSV only: a text cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first, not a
   * plain number) gets a leading apostrophe, as the studio's other CSV files do. Off, the cells are
   * exactly the stored texts (for pandas and the like; never open such a file in a spreadsheet).
   */
  spreadsheetSafe: z.boolean().default(true),
});

export const ZExportOptions = z.discriminatedUnion("kind", [ZDistillationOptions, ZRlvrOptions, ZFlatOptions]);
export type TExportOptions = z.infer<typeof ZExportOptions>;
export type TDistillationOptions = z.infer<typeof ZDistillationOptions>;
export type TRlvrOptions = z.infer<typeof ZRlvrOptions>;
export type TFlatOptions = z.infer<typeof ZFlatOptions>;
export const EXPORT_KINDS = ["distillation", "rlvr", "flat"] as const;
export type TExportKind = (typeof EXPORT_KINDS)[number];
export const SPLIT_NAMES = ["train", "validation", "test"] as const;
export type TSplit = (typeof SPLIT_NAMES)[number];

/** A typed text in a one-line summary: its first 40 characters, one line. */
const short = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
};

/**
 * The options that tell exports apart, in a few words for the exports list (the full options are
 * in the export's manifest): e.g. "teacher Qwen 72B · experts override · agree: A = B · balanced ·
 * 0.9 / 0.05 / 0.05 · seed 42". Options the data no longer parses as are shown as they are stored.
 */
export function describeExportOptions(stored: unknown, judgeName: (id: number) => string): string {
  const parsed = ZExportOptions.safeParse(stored);
  if (!parsed.success) return JSON.stringify(stored);
  const o = parsed.data;
  const splits = (s: { train: number; validation: number; test: number }) => (s.validation === 0 && s.test === 0 ? "one split" : `${s.train} / ${s.validation} / ${s.test}`);
  const parts: string[] = [];
  if (o.kind === "distillation") {
    parts.push(`teacher ${judgeName(o.teacherJudgeId)}`);
    if (o.expertOverride) parts.push("experts override");
    if (!o.dropUnparseable) parts.push("unparseable kept");
    if (o.agreeJudgeIds) parts.push(`agree: ${judgeName(o.agreeJudgeIds[0])} = ${judgeName(o.agreeJudgeIds[1])}`);
    if (o.balance) parts.push("balanced");
    if (o.systemMessage) parts.push("system message");
    if (!o.parquet) parts.push("no Parquet");
    parts.push(splits(o.splits), `seed ${o.seed}`);
  } else if (o.kind === "rlvr") {
    if (o.subjects.length > 0) parts.push(`subjects: ${o.subjects.join(", ")}`);
    parts.push(o.systemPrompt !== undefined ? `system message "${short(o.systemPrompt)}"` : "default system message");
    if (!o.parquet) parts.push("no Parquet");
    parts.push(splits(o.splits), `seed ${o.seed}`);
  } else {
    parts.push(o.format.toUpperCase(), o.judgeIds.length > 0 ? `judges: ${o.judgeIds.map(judgeName).join(", ")}` : "every judge");
    if (o.format === "csv" && !o.spreadsheetSafe) parts.push("exact texts (not safe to open in a spreadsheet)");
  }
  return parts.join(" · ");
}
