// The answers of a dataset's judges and its gold labels, aggregated in one pass over the
// dataset's responses: what the agreement matrix (every rater pair's 2x2 table) and the reward
// overview (each judge's verdicts and soft-reward histogram) are both computed from. The two views
// used to make a pass each (the rewards one per judge); at a million responses each pass costs
// seconds, so they share this one, kept as one snapshot, and as parts per chunk of responses
// (./partials.ts) that add up to it, so that a change passes over only the chunks it touched.
//
// One GROUP BY over (gold label, and per judge: verdict, whether it judged, soft-reward bin), with
// each judge's sum of soft rewards: a few hundred to a few thousand groups, from which the
// multi-way table of the raters' answers (lib/stats/contingency.ts) and each judge's (verdict,
// bin, gold label) groups are summed here. (GROUPING SETS for the two made the planner sort the
// million rows.) Counts are exact; a judge's sum of soft rewards adds the same values as before,
// grouped differently, so its mean may differ in the last bits (as it did between plans).
// Responses come from responses_analytics_idx (dataset_id, id, ..., gold_label); each judge is
// merge-joined through judgments_analytics_idx (./sql.ts judgeJoin): index-only scans in response
// order, no hash joins.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { chunkedSnapshot, chunkOf, partsByChunk, type TChunkRun } from "./partials";
import type { TSnapshot } from "./snapshot";
import { alias, judgeJoin, judgesKey, jsonRows, probabilityBin, type TJudgeRef } from "./sql";

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

type TRow = { chunk: number; gold: TGold; verdicts: (string | null)[]; judged: boolean[]; bins: (number | null)[]; n: number; sums: (number | null)[] };

const stateOf = (verdict: string | null, judged: boolean): TJudgeState =>
  !judged ? "none" : verdict === "YES" || verdict === "NO" || verdict === "UNPARSEABLE" ? verdict : "failed";

/** The profile of each chunk of the run (chunks of ./partials.ts): one GROUP BY over the run's responses. */
export async function profileOfRun(tx: Tx, datasetId: number, judges: readonly TJudgeRef[], run: TChunkRun): Promise<Map<number, TDatasetProfile>> {
  const j = judges.map((_, i) => alias(i));
  // Per judge: its verdict, whether it judged the item at all (a judgment's sample is never
  // null), and its soft-reward bin; grouped by the columns themselves, cast in the output only.
  const verdicts = j.map((a) => Prisma.sql`${a}.verdict`);
  const judged = j.map((a) => Prisma.sql`${a}.sample`);
  const bins = j.map((a) => probabilityBin(Prisma.sql`${a}.soft_reward`, SOFT_BINS));
  const array = (xs: Prisma.Sql[], type: string) => (xs.length ? Prisma.sql`ARRAY[${Prisma.join(xs)}]::${Prisma.raw(type)}[]` : Prisma.raw(`'{}'::${type}[]`));
  const range = { lo: run.lo, hi: run.hi };
  const rows = await jsonRows<TRow>(
    tx,
    Prisma.sql`
    SELECT ${chunkOf(Prisma.sql`r.id`)}::int AS chunk, r.gold_label::text AS gold,
      ${array(verdicts.map((v) => Prisma.sql`${v}::text`), "text")} AS verdicts,
      ${array(judged.map((s) => Prisma.sql`${s} IS NOT NULL`), "boolean")} AS judged,
      ${array(bins, "int")} AS bins,
      count(*)::int AS n,
      ${array(j.map((a) => Prisma.sql`sum(${a}.soft_reward)`), "float8")} AS sums
    FROM responses r ${judges.length ? Prisma.join(judges.map((judge, i) => judgeJoin(i, judge, 0, range)), "\n") : Prisma.empty}
    WHERE r.dataset_id = ${datasetId} AND r.id >= ${run.lo} AND r.id < ${run.hi}
    GROUP BY ${Prisma.join([chunkOf(Prisma.sql`r.id`), Prisma.sql`r.gold_label`, ...verdicts, ...judged, ...bins])}`,
  );

  return partsByChunk(rows, (chunkRows) => profileOfRows(chunkRows, judges.length));
}

function profileOfRows(rows: TRow[], judgeCount: number): TDatasetProfile {
  const parts = rows.map((row) => {
    const states = Array.from({ length: judgeCount }, (_, i) => stateOf(row.verdicts[i]!, row.judged[i]!));
    return {
      responses: row.n,
      profiles: [{ states, gold: row.gold, n: row.n }],
      rewards: states.map((state, i): TRewardGroup[] => (state === "none" ? [] : [{ state, bin: row.bins[i]!, gold: row.gold, n: row.n, sumSoft: row.sums[i]! }])),
    };
  });
  return addProfiles(parts, judgeCount);
}

/** Profiles added up: the same groups' counts and soft-reward sums summed. */
export function addProfiles(parts: readonly TDatasetProfile[], judgeCount: number): TDatasetProfile {
  const profiles = new Map<string, TStateProfile>();
  const rewards = Array.from({ length: judgeCount }, () => new Map<string, TRewardGroup>());
  let responses = 0;
  for (const part of parts) {
    responses += part.responses;
    for (const p of part.profiles) {
      const id = `${p.gold}|${p.states.join("|")}`;
      const profile = profiles.get(id) ?? { states: p.states, gold: p.gold, n: 0 };
      profile.n += p.n;
      profiles.set(id, profile);
    }
    part.rewards.forEach((groups, i) => {
      for (const g of groups) {
        const key = `${g.state}|${g.bin}|${g.gold}`;
        const group = rewards[i]!.get(key) ?? { state: g.state, bin: g.bin, gold: g.gold, n: 0, sumSoft: null };
        group.n += g.n;
        if (g.sumSoft !== null) group.sumSoft = (group.sumSoft ?? 0) + g.sumSoft;
        rewards[i]!.set(key, group);
      }
    });
  }
  return { responses, profiles: [...profiles.values()], rewards: rewards.map((r) => [...r.values()]) };
}

/** Whether the profile of `judges` on the dataset was ever stored (of any data version). */
export async function hasProfile(datasetId: number, judges: readonly TJudgeRef[]): Promise<boolean> {
  const [row] = await db().$queryRaw<unknown[]>`SELECT 1 FROM analytics_snapshots WHERE dataset_id = ${datasetId} AND key = ${profileKey(judges)}`;
  return row !== undefined;
}

const profileKey = (judges: readonly TJudgeRef[]) => `profile:${judgesKey(judges)}`;

/**
 * The profile of `judges` on a dataset, kept as a snapshot (the agreement matrix and the reward
 * overview share it) and per chunk of responses (./partials.ts): after a small change only the
 * chunks it touched are passed over again.
 */
export async function datasetProfile(datasetId: number, judges: readonly TJudgeRef[], options: { fresh?: boolean } = {}): Promise<TSnapshot<TDatasetProfile>> {
  return chunkedSnapshot(
    datasetId,
    profileKey(judges),
    {
      compute: (tx, run) => profileOfRun(tx, datasetId, judges, run),
      empty: () => ({ responses: 0, profiles: [], rewards: judges.map(() => []) }),
      combine: (parts) => addProfiles(parts, judges.length),
    },
    options,
  );
}
