// How a queue's items are chosen, in three steps applied in order:
//   1. a judgments filter (the URL parameters of the judgments list: dataset, verdicts,
//      disagreement, label, subject, policy model, length, text), so any view of the list, including a confusion-matrix cell of
//      the agreement page (it links to such a filter), can become a queue;
//   2. optionally a soft-score band of one judge: its P(YES) or its soft reward in [min, max];
//   3. optionally a seeded random sample of what is left: a size or a percentage.
// The same seed over the same rows always picks the same items (the order is md5(seed:id)).
import { z } from "zod";
import { describeBand, parseJudgmentFilters, unknownFilterParams, withoutPage, type TJudgmentFilters } from "@/lib/judgments/filters";
import { ZRowIdParam } from "@/lib/db/values";

export const ZBand = z
  .object({
    judgeId: ZRowIdParam,
    metric: z.enum(["p_yes", "soft_reward"]),
    min: z.coerce.number().min(0).max(1),
    max: z.coerce.number().min(0).max(1),
  })
  .refine((b) => b.min <= b.max, "the band's lower bound must not be above its upper bound");

export const ZSample = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("size"), size: z.coerce.number().int().positive().max(100_000), seed: z.coerce.number().int().min(0) }),
  z.object({ mode: z.literal("percent"), percent: z.coerce.number().gt(0).max(100), seed: z.coerce.number().int().min(0) }),
]);

export const ZQueueSource = z.object({
  /** judgments filter as URL parameters ("dataset=1&verdict=3:YES") */
  filter: z.string().max(2000),
  band: ZBand.optional(),
  sample: ZSample.optional(),
});
export type TQueueSource = z.infer<typeof ZQueueSource>;
export type TBand = z.infer<typeof ZBand>;
export type TSample = z.infer<typeof ZSample>;

/** The filter of a source, parsed as the judgments list parses it (cursor dropped). */
export function sourceFilters(filter: string): TJudgmentFilters {
  const params = new URLSearchParams(filter);
  const unknown = unknownFilterParams(params);
  if (unknown) throw new z.ZodError([{ code: "custom", path: ["filter"], message: unknown, input: filter }]);
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0]! : values;
  }
  const parsed = parseJudgmentFilters(record);
  if (!parsed.success) throw new z.ZodError(parsed.error.issues);
  return withoutPage(parsed.data);
}

/** How many items a sample keeps out of `n` (a percentage rounds to the nearest item, at least 1). */
export function sampleSize(sample: TSample, n: number): number {
  if (n === 0) return 0;
  if (sample.mode === "size") return Math.min(sample.size, n);
  return Math.min(n, Math.max(1, Math.round((sample.percent / 100) * n)));
}

/** A one-line description for people: "GPT-4 says YES, label incorrect; P(YES) of BEM in [0.3, 0.7]; random 50 (seed 1)". */
export function describeSource(source: TQueueSource, judgeName: (id: number) => string): string {
  const f = sourceFilters(source.filter);
  const parts: string[] = [];
  for (const v of f.verdict) parts.push(`${judgeName(v.judgeId)} says ${v.verdict === "NONE" ? "nothing" : v.verdict === "FAILED" ? "nothing (its call failed)" : v.verdict}`);
  if (f.disagree) parts.push(`${f.disagree.map((r) => (r.kind === "expert" ? "experts" : judgeName(r.judgeId))).join(" ≠ ")}`);
  if (f.label) {
    const labels: Partial<Record<string, string>> = { none: "no expert label", disputed: "experts disagree, not adjudicated", decided: "expert label correct or incorrect", undecided: "expert label unsure or none" };
    parts.push(labels[f.label] ?? `expert label ${f.label}`);
  }
  if (f.reward) parts.push(`soft reward of ${judgeName(f.reward.judgeId)} in ${describeBand(f.reward)}`);
  if (f.subject) parts.push(`subject ${f.subject}`);
  if (f.model) parts.push(`policy model ${f.model}`);
  if (f.len) parts.push(`${f.len} characters`);
  if (f.q) parts.push(`text contains “${f.q}”`);
  const filter = parts.length ? parts.join(", ") : "all responses";
  const band = source.band
    ? `; ${source.band.metric === "p_yes" ? "P(YES)" : "soft reward"} of ${judgeName(source.band.judgeId)} in [${source.band.min}, ${source.band.max}]`
    : "";
  const sample = source.sample
    ? `; random ${source.sample.mode === "size" ? source.sample.size : `${source.sample.percent}%`} (seed ${source.sample.seed})`
    : "";
  return `${filter}${band}${sample}`;
}
