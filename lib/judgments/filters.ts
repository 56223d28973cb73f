// The judgments list's filters, as they live in the URL (so every view can be shared as a link):
//   dataset=1                the dataset (required)
//   verdict=3:YES            judge 3 said YES (repeatable; FAILED = its call failed, no verdict;
//                            NONE = judge 3 has no judgment)
//   disagree=3:expert        judge 3 and the expert gold label disagree (or two judge ids)
//   label=correct            expert gold label (correct | incorrect | unsure | none), or
//                            decided: correct or incorrect (what calibration and quality count),
//                            undecided: unsure or none, or
//                            disputed: experts said correct and incorrect, and no adjudication decides it
//   reward=3:0.4-0.5         judge 3's soft reward in [0.4, 0.5) (up to 1 inclusive when the band ends at 1):
//                            a calibration bin, a histogram bar
//   subject=medicine         the question's subject
//   model=qwen2.5-7b         the response's policy model
//   len=500-1000             response length in characters, a bucket of lib/stats/length-buckets.ts
//   q=washington             text search in question and response
//   after=1234               keyset cursor: the page of responses with a larger id
//   before=1234              keyset cursor: the page of responses with a smaller id (previous page)
// and, selecting nothing: item=55 (the open response), open=first|last (open the page's first or
// last row: where j / k land when they cross to the next or previous page).
import { z } from "zod";
import { LENGTH_BUCKETS } from "@/lib/stats/length-buckets";
import { rowIdOf, storableText, ZRowIdParam } from "@/lib/db/values";

export const VERDICT_FILTERS = ["YES", "NO", "UNPARSEABLE", "FAILED", "NONE"] as const;
export const LABEL_FILTERS = ["correct", "incorrect", "unsure", "none", "decided", "undecided", "disputed"] as const;

export type TRewardBand = { judgeId: number; lo: number; hi: number };
const UNIT = "(?:0(?:\\.\\d{1,6})?|1(?:\\.0{1,6})?)";
const ZRewardBand = z
  .string()
  .regex(new RegExp(`^\\d{1,10}:${UNIT}-${UNIT}$`), "soft-reward bands look like 12:0.4-0.5 (from 0 to 1)")
  .transform((v): TRewardBand => {
    const [judge, band] = v.split(":") as [string, string];
    const [lo, hi] = band.split("-").map(Number) as [number, number];
    return { judgeId: judgeIdOf(judge), lo, hi };
  })
  .refine((b) => b.judgeId > 0, "no such judge")
  .refine((b) => b.lo < b.hi, "a band's lower end must be below its upper end");

export type TRater = { kind: "judge"; judgeId: number } | { kind: "expert" };

// ids beyond an integer column's range name no judge (lib/db/values.ts): such a filter is invalid
const judgeIdOf = (v: string) => rowIdOf(v) ?? 0;
const ZRater = z
  .string()
  .regex(/^(\d{1,10}|expert)$/)
  .transform((v): TRater => (v === "expert" ? { kind: "expert" } : { kind: "judge", judgeId: judgeIdOf(v) }))
  .refine((r) => r.kind === "expert" || r.judgeId > 0, "no such judge");
// text filters are compared with text columns, which cannot hold NUL
const ZTextFilter = (what: string) => z.string().max(200, `${what} are at most 200 characters`).refine(storableText, `${what} cannot hold the NUL character`);

export const ZJudgmentFilters = z.object({
  dataset: ZRowIdParam,
  verdict: z
    .array(
      z
        .string()
        .regex(/^\d{1,10}:(YES|NO|UNPARSEABLE|FAILED|NONE)$/, "verdict filters look like 12:YES (or NO, UNPARSEABLE, FAILED, NONE)")
        .transform((v) => {
          const [judge, verdict] = v.split(":");
          return { judgeId: judgeIdOf(judge!), verdict: verdict as (typeof VERDICT_FILTERS)[number] };
        })
        .refine((v) => v.judgeId > 0, "no such judge"),
    )
    .default([]),
  disagree: z
    .string()
    .regex(/^(\d{1,10}|expert):(\d{1,10}|expert)$/, "disagreement filters look like 12:expert")
    .transform((v) => v.split(":").map((p) => ZRater.parse(p)) as [TRater, TRater])
    .refine(([a, b]) => (a.kind === "expert" ? b.kind !== "expert" : b.kind === "expert" || a.judgeId !== b.judgeId), "pick two different raters")
    .optional(),
  label: z.enum(LABEL_FILTERS).optional(),
  subject: ZTextFilter("subjects").optional(),
  model: ZTextFilter("policy models").optional(),
  reward: ZRewardBand.optional(),
  len: z.enum(LENGTH_BUCKETS.map((b) => b.key) as [string, ...string[]], { message: `length buckets are ${LENGTH_BUCKETS.map((b) => b.key).join(", ")}` }).optional(),
  q: z.string().trim().max(200).refine(storableText, "searches cannot hold the NUL character").optional().transform((v) => (v ? v : undefined)),
  after: ZRowIdParam.optional(),
  before: ZRowIdParam.optional(),
}).refine((f) => !(f.after && f.before), { message: "a page is after one response or before one, not both", path: ["before"] });

export type TJudgmentFilters = z.infer<typeof ZJudgmentFilters>;

/** A filter's query as people type it: "verdict=3:NO", not "verdict=3%3ANO" (a colon needs no escape in a query). */
export const filterForPeople = (query: string) => query.replace(/%3A/gi, ":");

/** The judges a filter's conditions name (verdicts, a disagreement, a reward band), each once. */
export function judgesNamedIn(filters: Pick<TJudgmentFilters, "verdict" | "disagree" | "reward">): number[] {
  const ids = [...filters.verdict.map((v) => v.judgeId), ...(filters.disagree ?? []).flatMap((r) => (r.kind === "judge" ? [r.judgeId] : []))];
  if (filters.reward) ids.push(filters.reward.judgeId);
  return [...new Set(ids)];
}
type TSearchParams = Record<string, string | string[] | undefined>;

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export function parseJudgmentFilters(params: TSearchParams) {
  return ZJudgmentFilters.safeParse({
    dataset: first(params.dataset),
    verdict: list(params.verdict).filter(Boolean),
    disagree: first(params.disagree),
    label: first(params.label),
    subject: first(params.subject),
    model: first(params.model),
    len: first(params.len),
    reward: first(params.reward),
    q: first(params.q),
    after: first(params.after),
    before: first(params.before),
  });
}

const raterParam = (r: TRater) => (r.kind === "expert" ? "expert" : String(r.judgeId));

export function judgmentFiltersToParams(filters: Partial<TJudgmentFilters>): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.dataset) params.set("dataset", String(filters.dataset));
  for (const v of filters.verdict ?? []) params.append("verdict", `${v.judgeId}:${v.verdict}`);
  if (filters.disagree) params.set("disagree", filters.disagree.map(raterParam).join(":"));
  if (filters.label) params.set("label", filters.label);
  if (filters.subject) params.set("subject", filters.subject);
  if (filters.model) params.set("model", filters.model);
  if (filters.len) params.set("len", filters.len);
  if (filters.reward) params.set("reward", rewardBandParam(filters.reward));
  if (filters.q) params.set("q", filters.q);
  if (filters.after) params.set("after", String(filters.after));
  if (filters.before) params.set("before", String(filters.before));
  return params;
}

/** A band as people read it: "[0.4, 0.5)", or "[0.9, 1]" for the last. */
export const describeBand = (b: TRewardBand) => `[${b.lo}, ${b.hi}${b.hi >= 1 ? "]" : ")"}`;

/** A band as its URL parameter: "3:0.4-0.5". */
export const rewardBandParam = (b: TRewardBand) => `${b.judgeId}:${b.lo}-${b.hi}`;

/** The URL parameters of the list that select no responses: the page and the open item. */
export const PAGE_PARAMS = ["after", "before", "item", "open"] as const;
/** The parameters that select responses. */
export const FILTER_PARAMS = ["dataset", "verdict", "disagree", "label", "subject", "model", "reward", "len", "q"] as const;

/**
 * A filter given to select work (a run's items, a queue's) with a parameter the list does not
 * know: its message, else null. The list ignores such parameters, which is right for a URL but
 * not for work: a misspelt "verdikt=4:YES" would select the whole dataset.
 */
export function unknownFilterParams(params: URLSearchParams): string | null {
  const known: readonly string[] = [...FILTER_PARAMS, ...PAGE_PARAMS];
  const unknown = [...new Set(params.keys())].filter((k) => !known.includes(k));
  return unknown.length === 0 ? null : `unknown filter ${unknown.map((k) => `"${k}"`).join(", ")}: filters are ${FILTER_PARAMS.join(", ")}`;
}

/** The filter of a judgments list's URL as a query string, without its page and open item, the values as given. */
export function filterQueryOf(search: TSearchParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    // Only the filter's own parameters: what else a URL carries is not part of it.
    if (!(FILTER_PARAMS as readonly string[]).includes(key) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return params.toString();
}

/** The filters alone, without the page they were on. */
export const withoutPage = (filters: TJudgmentFilters): TJudgmentFilters => ({ ...filters, after: undefined, before: undefined });

