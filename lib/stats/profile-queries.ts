// The answers of a dataset's judges and its gold labels, aggregated in one pass over the
// dataset's responses: what the agreement matrix (every rater pair's 2x2 table) and the reward
// overview (each judge's verdicts and soft-reward histogram) are both computed from. The two views
// used to make a pass each (and the rewards one per judge); at a million responses every pass
// costs about a second, so they share this one, kept as one snapshot.
//
// GROUPING SETS give, from the same rows: one group per combination of every judge's verdict and
// the gold label (the multi-way table of lib/stats/contingency.ts), and per judge one group per
// (verdict, soft-reward bin, gold label) with the sum of its soft rewards, exactly the groups the
// per-judge reward query formed (so each sum adds the same values in the same way).
// Responses come from responses_analytics_idx (dataset_id, id, ..., gold_label); each judge is
// merge-joined through judgments_analytics_idx: index-only scans in response order.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { snapshot, type TSnapshot } from "./snapshot";
import { alias, judgeJoin, judgesKey, probabilityBin, type TJudgeRef } from "./sql";

type Tx = Prisma.TransactionClient;

export const SOFT_BINS = 20;

/** A judge's judgment on an item (sample 0, current template version): its verdict, "failed" (no verdict) or "none" (not judged). */
export type TJudgeState = "YES" | "NO" | "UNPARSEABLE" | "failed" | "none";
export type TGold = "correct" | "incorrect" | "unsure" | null;

/** Items by every judge's state (in the order of the judges given) and the gold label. */
export type TStateProfile = { states: TJudgeState[]; gold: TGold; n: number };
/** One judge's items by state, soft-reward bin (null: no soft reward) and gold label, with the sum of their soft rewards. */
export type TRewardGroup = { state: TJudgeState; bin: number | null; gold: TGold; n: number; sumSoft: number | null };

export type TDatasetProfile = { responses: number; profiles: TStateProfile[]; rewards: TRewardGroup[][] };

type TRow = { judge: number | null; verdicts: (string | null)[]; judged: boolean[]; bin: number | null; gold: TGold; n: number; sum_soft: number | null };

const stateOf = (verdict: string | null, judged: boolean): TJudgeState =>
  !judged ? "none" : verdict === "YES" || verdict === "NO" || verdict === "UNPARSEABLE" ? verdict : "failed";

export async function profileOf(tx: Tx, datasetId: number, judges: readonly TJudgeRef[]): Promise<TDatasetProfile> {
  const j = judges.map((_, i) => alias(i));
  const joins = judges.map((judge, i) => judgeJoin(i, judge));
  // Per judge: its verdict, whether it judged the item at all (a judgment's sample is never null),
  // and its soft-reward bin.
  const verdicts = j.map((a) => Prisma.sql`${a}.verdict`);
  const judged = j.map((a) => Prisma.sql`${a}.sample`);
  const bins = j.map((a) => probabilityBin(Prisma.sql`${a}.soft_reward`, SOFT_BINS));
  const all = Prisma.join([Prisma.sql`r.gold_label`, ...verdicts, ...judged]);
  const perJudge = judges.map((_, i) => Prisma.sql`(r.gold_label, ${verdicts[i]!}, ${judged[i]!}, ${bins[i]!})`);
  // Which grouping set a row belongs to: the judge whose bin it is grouped by, or null for the
  // set over every judge. A row's sum of soft rewards is that judge's.
  const judge = judges.length
    ? Prisma.sql`CASE ${Prisma.join(bins.map((b, i) => Prisma.sql`WHEN GROUPING(${b}) = 0 THEN ${i}::int`), " ")} END`
    : Prisma.sql`NULL::int`;
  const sumSoft = judges.length
    ? Prisma.sql`CASE ${Prisma.join(bins.map((b, i) => Prisma.sql`WHEN GROUPING(${b}) = 0 THEN sum(${j[i]!}.soft_reward)::float8`), " ")} END`
    : Prisma.sql`NULL::float8`;
  const array = (xs: Prisma.Sql[], type: string) => (xs.length ? Prisma.sql`ARRAY[${Prisma.join(xs)}]` : Prisma.raw(`'{}'::${type}[]`));
  const rows = await tx.$queryRaw<TRow[]>`
    SELECT ${judge} AS judge,
      ${array(verdicts.map((v) => Prisma.sql`${v}::text`), "text")} AS verdicts,
      ${array(judged.map((s) => Prisma.sql`${s} IS NOT NULL`), "boolean")} AS judged,
      ${judges.length ? Prisma.sql`coalesce(${Prisma.join(bins.map((b) => Prisma.sql`CASE WHEN GROUPING(${b}) = 0 THEN ${b} END`))})` : Prisma.sql`NULL::int`} AS bin,
      r.gold_label::text AS gold, count(*)::int AS n, ${sumSoft} AS sum_soft
    FROM responses r ${joins.length ? Prisma.join(joins, "\n") : Prisma.empty}
    WHERE r.dataset_id = ${datasetId}
    GROUP BY GROUPING SETS ((${all})${perJudge.length ? Prisma.sql`, ${Prisma.join(perJudge)}` : Prisma.empty})`;
  const out: TDatasetProfile = { responses: 0, profiles: [], rewards: judges.map(() => []) };
  for (const row of rows) {
    if (row.judge === null) {
      out.profiles.push({ states: judges.map((_, i) => stateOf(row.verdicts[i]!, row.judged[i]!)), gold: row.gold, n: row.n });
      out.responses += row.n;
    } else {
      out.rewards[row.judge]!.push({ state: stateOf(row.verdicts[row.judge]!, row.judged[row.judge]!), bin: row.bin, gold: row.gold, n: row.n, sumSoft: row.sum_soft });
    }
  }
  return out;
}

/** The profile of `judges` on a dataset, kept as a snapshot (the agreement matrix and the reward overview share it). */
export async function datasetProfile(datasetId: number, judges: readonly TJudgeRef[], options: { fresh?: boolean } = {}): Promise<TSnapshot<TDatasetProfile>> {
  return snapshot(datasetId, `profile:${judgesKey(judges)}`, (tx) => profileOf(tx, datasetId, judges), options);
}
