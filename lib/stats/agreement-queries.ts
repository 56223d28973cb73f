// The counts behind agreement, for a dataset's raters (its judges and the expert gold label):
// the multi-way table of every rater's answer, from which every pair's 2x2 table follows
// (lib/stats/contingency.ts), comes from the dataset profile (./profile-queries.ts); a second
// query breaks one pair down by subject, policy model and response length. Answers as in ./sql.ts.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { agreement, type TAgreement } from "./agreement";
import { pairTables, type TPairTable, type TProfile } from "./contingency";
import { datasetProfile, type TJudgeState, type TStateProfile } from "./profile-queries";
import { chunkedSnapshot, chunkOf, partsByChunk } from "./partials";
import type { TSnapshot } from "./snapshot";
import { answeredColumns, jsonRows, lengthBucket, raterColumns, ratersKey, type TRaterRef } from "./sql";
import { judgeName } from "@/lib/judges/name";

export { raterKey, type TRaterRef } from "./sql";

type Db = Prisma.TransactionClient | ReturnType<typeof db>;

export type TPairAgreement = TAgreement & {
  /** items with a YES/NO answer from this rater (before pairing) */
  answeredA: number;
  answeredB: number;
};

/** Raters of a dataset: its judges (in the order given) and the expert gold label, last. */
export function ratersOf(judges: { id: number; name: string; templateVersion: string; sizeLabel: string }[]): TRaterRef[] {
  return [
    ...judges.map((j) => ({ kind: "judge" as const, id: j.id, templateVersion: j.templateVersion, name: judgeName(j) })),
    { kind: "expert" as const, name: "Experts (gold)" },
  ];
}

/**
 * One row per combination of the raters' answers, with its count. Responses come from
 * responses(dataset_id, id); each judge is merge-joined through judgments_analytics_idx.
 */
export async function answerProfiles(tx: Db, datasetId: number, raters: readonly TRaterRef[]): Promise<TProfile[]> {
  const { joins, answers } = raterColumns(raters);
  return tx.$queryRaw<TProfile[]>`
    SELECT ARRAY[${Prisma.join(answers)}]::boolean[] AS answers, count(*)::int AS n
    FROM responses r ${joins}
    WHERE r.dataset_id = ${datasetId}
    GROUP BY 1`;
}

/** Pairs refer to raters by their index in the list given. */
export type TAgreementMatrix = { pairs: TPairTable[] };

/**
 * Every pair of raters with its 2x2 table, kappa and 95% interval, from the dataset profile of
 * the judges among them (one pass over the responses, shared with the reward overview).
 */
export async function agreementMatrix(datasetId: number, raters: TRaterRef[], options: { fresh?: boolean } = {}): Promise<TSnapshot<TAgreementMatrix>> {
  const judges = raters.filter((r) => r.kind === "judge");
  const profile = await datasetProfile(datasetId, judges, options);
  return { ...profile, value: { pairs: pairTables(raterProfiles(profile.value.profiles, raters), raters.length) } };
}

/** The multi-way table of `raters` (judges in the order of the profile's, the experts anywhere). */
export function raterProfiles(profiles: readonly TStateProfile[], raters: readonly TRaterRef[]): TProfile[] {
  const judgeIndex = new Map<TRaterRef, number>();
  raters.forEach((r) => r.kind === "judge" && judgeIndex.set(r, judgeIndex.size));
  const answerOf = (state: TJudgeState) => (state === "YES" ? true : state === "NO" ? false : null);
  return profiles.map(({ states, gold, n }) => ({
    answers: raters.map((r) => (r.kind === "expert" ? (gold === "correct" ? true : gold === "incorrect" ? false : null) : answerOf(states[judgeIndex.get(r)!]!))),
    n,
  }));
}

/** The 2x2 table of two raters, computed now. */
export async function pairAgreement(datasetId: number, a: TRaterRef, b: TRaterRef): Promise<TPairAgreement> {
  const [pair] = pairTables(await answerProfiles(db(), datasetId, [a, b]), 2);
  return pair!;
}

// ---------------------------------------------------------------------------------------------
// Breakdowns of one pair.

export const BREAKDOWN_DIMENSIONS = ["subject", "policyModel", "length"] as const;
export type TBreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/** One group of a breakdown: `value` is the subject, the policy model, or the length bucket index (as text); null = none. */
export type TBreakdownRow = TAgreement & { dimension: TBreakdownDimension; value: string | null };

/** Items of one breakdown group with the pair's answers a and b; `grouping` says the dimension (SQL GROUPING bits: 3 subject, 5 policy model, 6 length bucket). */
type TBreakdownCount = { grouping: number; value: string | null; a: boolean; b: boolean; n: number };
const DIMENSION_OF_GROUPING: Record<number, TBreakdownDimension> = { 3: "subject", 5: "policyModel", 6: "length" };

/**
 * The pair's 2x2 table within each subject, policy model and response-length bucket, over the
 * items both raters answered: one GROUP BY over (chunk, subject, policy model, bucket, a, b), then
 * GROUPING SETS over those groups for each dimension alone (GROUPING SETS straight over the rows
 * made the planner sort the million rows). Only the items both answered are joined (./sql.ts answeredColumns: merge joins
 * of index-only scans); the subject comes from questions through a hash join on its primary key.
 * Kept per chunk of responses (./partials.ts) as the groups' cells, which add up.
 */
export async function pairBreakdown(datasetId: number, a: TRaterRef, b: TRaterRef, options: { fresh?: boolean } = {}): Promise<TSnapshot<TBreakdownRow[]>> {
  const raters = [a, b];
  const result = await chunkedSnapshot<TBreakdownCells[], TBreakdownCells[]>(
    datasetId,
    `breakdown-cells:${ratersKey(raters)}`,
    {
      compute: async (tx, run) => {
        const { joins, where, answers } = answeredColumns(raters, run);
        // The million rows grouped by every dimension at once, then those groups by each
        // dimension alone (GROUPING SETS over a hundred thousand groups is cheap, and sends a
        // tenth of the rows to the server).
        const counts = await jsonRows<TBreakdownCount & { chunk: number }>(
          tx,
          Prisma.sql`
          SELECT chunk, GROUPING(subject, policy_model, bucket)::int AS grouping, coalesce(subject, policy_model, bucket::text) AS value, a, b, sum(n)::int AS n
          FROM (
            SELECT i.chunk, q.subject, i.policy_model, i.bucket, i.a, i.b, count(*) AS n
            FROM (
              SELECT ${chunkOf(Prisma.sql`r.id`)}::int AS chunk, r.question_id, r.policy_model, ${lengthBucket} AS bucket, ${answers[0]!} AS a, ${answers[1]!} AS b
              FROM responses r ${joins}
              WHERE r.dataset_id = ${datasetId} AND r.id >= ${run.lo} AND r.id < ${run.hi} ${where}
            ) i
            JOIN questions q ON q.id = i.question_id
            GROUP BY 1, 2, 3, 4, 5, 6
          ) cells
          GROUP BY GROUPING SETS ((chunk, subject, a, b), (chunk, policy_model, a, b), (chunk, bucket, a, b))`,
        );
        return partsByChunk(counts, breakdownCells);
      },
      empty: () => [],
      combine: (parts) => addBreakdownCells(parts.flat()),
    },
    options,
  );
  return { ...result, value: result.value.map(({ dimension, value, cells }) => ({ dimension, value, ...agreement(cells) })) };
}

/** A breakdown group's 2x2 cells: what adds up over chunks (kappa does not). */
type TBreakdownCells = { dimension: TBreakdownDimension; value: string | null; cells: { yy: number; yn: number; ny: number; nn: number } };

function breakdownCells(counts: TBreakdownCount[]): TBreakdownCells[] {
  return addBreakdownCells(
    counts.map((c) => {
      const cells = { yy: 0, yn: 0, ny: 0, nn: 0 };
      cells[c.a ? (c.b ? "yy" : "yn") : c.b ? "ny" : "nn"] = c.n;
      return { dimension: DIMENSION_OF_GROUPING[c.grouping]!, value: c.value, cells };
    }),
  );
}

/** Groups of the same dimension and value summed, in the order first seen. */
function addBreakdownCells(groups: readonly TBreakdownCells[]): TBreakdownCells[] {
  const sums = new Map<string, TBreakdownCells>();
  for (const g of groups) {
    const id = `${g.dimension}\u0000${g.value ?? "\u0001"}`;
    const sum = sums.get(id) ?? { dimension: g.dimension, value: g.value, cells: { yy: 0, yn: 0, ny: 0, nn: 0 } };
    sum.cells.yy += g.cells.yy;
    sum.cells.yn += g.cells.yn;
    sum.cells.ny += g.cells.ny;
    sum.cells.nn += g.cells.nn;
    sums.set(id, sum);
  }
  return [...sums.values()];
}
