// SQL pieces shared by the analytics queries, over `responses r` of one dataset.
// A judge's answer on an item is its judgment for the judge's current template version and
// sample 0 (as in the judgments list): YES -> true, NO -> false, anything else (UNPARSEABLE, a
// failed call, no judgment) -> null, i.e. left out of agreement. The expert's answer is the gold
// label: correct -> true, incorrect -> false, unsure or none -> null.
// Joins on one judge read judgments_analytics_idx (judge_id, template_version, sample,
// response_id, verdict, soft_reward) alone, in response_id order: merge joins, no heap.
import { Prisma } from "@/lib/db/generated/client";
import { LENGTH_EDGES } from "./length-buckets";

export type TJudgeRef = { id: number; templateVersion: string };
export type TRaterRef = ({ kind: "judge" } & TJudgeRef & { name: string }) | { kind: "expert"; name: string };

/** `j<i>`: aliases are generated from integers, never from input. */
export const alias = (i: number) => Prisma.raw(`j${Math.trunc(i)}`);

/**
 * The judge's judgments as `j<i>` (response_id, verdict, soft_reward, sample), left-joined to
 * `responses r`. They are selected in a subquery, not in the join's ON clause: there the judge's
 * equalities do not make judgments_analytics_idx yield response_id order, and the planner read
 * the unique index (response_id, judge_id, ...) instead, fetching every row from the table; the
 * subquery's ORDER BY is the index's own order, so the join is a merge of index-only scans.
 * DISTINCT ON keeps the subquery apart and changes no row (a response has one judgment per judge,
 * template version and sample), but it tells the planner so: a merge join whose inner side is
 * known unique needs no Materialize node to step back over it (about 3% of the 1M seed's profile:
 * half a million rows per half not copied). `range` limits the judgments to response ids
 * [lo, hi) (a run of chunks: ./partials.ts), as the responses are.
 */
export function judgeJoin(i: number, judge: TJudgeRef, sample = 0, range?: { lo: number; hi: number }): Prisma.Sql {
  const j = alias(i);
  const within = range ? Prisma.sql`AND response_id >= ${range.lo} AND response_id < ${range.hi}` : Prisma.empty;
  return Prisma.sql`LEFT JOIN (
      SELECT DISTINCT ON (response_id) response_id, verdict, soft_reward, sample FROM judgments
      WHERE judge_id = ${judge.id} AND template_version = ${judge.templateVersion} AND sample = ${sample} ${within}
      ORDER BY response_id
    ) ${j} ON ${j}.response_id = r.id`;
}

export const judgeAnswer = (i: number) => Prisma.sql`CASE ${alias(i)}.verdict WHEN 'YES' THEN true WHEN 'NO' THEN false END`;
export const goldAnswer = Prisma.sql`CASE r.gold_label WHEN 'correct' THEN true WHEN 'incorrect' THEN false END`;

/** Joins for the judges among `raters` (judge k gets alias j<k>) and each rater's answer, in order. */
export function raterColumns(raters: readonly TRaterRef[]): { joins: Prisma.Sql; answers: Prisma.Sql[] } {
  const joins: Prisma.Sql[] = [];
  const answers = raters.map((rater, i) => {
    if (rater.kind === "expert") return goldAnswer;
    joins.push(judgeJoin(i, rater));
    return judgeAnswer(i);
  });
  return { joins: joins.length ? Prisma.join(joins, "\n") : Prisma.empty, answers };
}

/**
 * Only the items every one of `raters` answered (YES/NO, correct/incorrect), with each rater's
 * answer: inner joins, whose judge equalities do give judgments_analytics_idx's response_id order
 * (and whose uniqueness spares the merge join a buffer), and the gold label as a filter.
 */
export function answeredColumns(raters: readonly TRaterRef[], range?: { lo: number; hi: number }): { joins: Prisma.Sql; where: Prisma.Sql; answers: Prisma.Sql[] } {
  const within = (j: Prisma.Sql) => (range ? Prisma.sql`AND ${j}.response_id >= ${range.lo} AND ${j}.response_id < ${range.hi}` : Prisma.empty);
  const joins: Prisma.Sql[] = [];
  const where: Prisma.Sql[] = [];
  const answers = raters.map((rater, i) => {
    if (rater.kind === "expert") {
      where.push(Prisma.sql`r.gold_label IN ('correct', 'incorrect')`);
      return Prisma.sql`r.gold_label = 'correct'`;
    }
    const j = alias(i);
    joins.push(Prisma.sql`JOIN judgments ${j} ON ${j}.response_id = r.id AND ${j}.judge_id = ${rater.id}
      AND ${j}.template_version = ${rater.templateVersion} AND ${j}.sample = 0 AND ${j}.verdict IN ('YES', 'NO') ${within(j)}`);
    return Prisma.sql`${j}.verdict = 'YES'`;
  });
  return {
    joins: joins.length ? Prisma.join(joins, "\n") : Prisma.empty,
    where: where.length ? Prisma.sql`AND ${Prisma.join(where, " AND ")}` : Prisma.empty,
    answers,
  };
}

/** Length bucket index of `r.text_length` (lib/stats/length-buckets.ts: same edges, same half-open rule). */
export const lengthBucket = Prisma.sql`width_bucket(r.text_length, ${[...LENGTH_EDGES]}::int[])`;

/**
 * The rows of `query` as one JSON array (json_agg of the rows, keyed by column name). A result of
 * thousands of rows then reaches Node as one value that JSON.parse reads, rather than every value
 * of every row converted by the driver and the client: for the dataset profile's 17,000 rows per
 * half, 15-35 ms of Node's CPU instead of 110-160 ms (measured on the 1M seed). Columns must be
 * of types whose JSON form is what the caller reads (integers, floats, text, booleans, arrays of
 * them); a float keeps its value (float8 is written in its shortest exact form, as in text).
 */
export async function jsonRows<T>(tx: Prisma.TransactionClient, query: Prisma.Sql): Promise<T[]> {
  const [row] = await tx.$queryRaw<{ rows: T[] | null }[]>`SELECT json_agg(t) AS rows FROM (${query}) t`;
  return row?.rows ?? [];
}

/** Stable cache-key parts for judges and raters (their ids and template versions). */
const judgeKey = (j: TJudgeRef) => `${j.id}@${JSON.stringify(j.templateVersion)}`;
export const judgesKey = (judges: readonly TJudgeRef[]) => judges.map(judgeKey).join(",");
export const ratersKey = (raters: readonly TRaterRef[]) => raters.map((r) => (r.kind === "expert" ? "expert" : judgeKey(r))).join(",");

export const raterKey = (r: TRaterRef) => (r.kind === "expert" ? "expert" : String(r.id));

/**
 * Bin of a probability `expr` among `bins` equal bins of [0, 1] (p = 1 in the last), as
 * calibration.ts binOf; NULL stays NULL (LEAST alone would turn a NULL into the last bin).
 */
export const probabilityBin = (expr: Prisma.Sql, bins: number) =>
  Prisma.sql`(CASE WHEN ${expr} IS NOT NULL THEN least(floor(${expr} * ${Prisma.raw(String(Math.trunc(bins)))}), ${Prisma.raw(String(Math.trunc(bins) - 1))}) END)::int`;
