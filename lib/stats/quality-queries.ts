// Judges against the experts: for each judge, the 2x2 counts of its YES/NO (sample 0, current
// template version) against the gold label (correct/incorrect) on the items that have both,
// overall and per subject. Driven by the labelled responses (responses(dataset_id, gold_label,
// id)).
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { judgeQuality, type TJudgeCounts, type TJudgeQuality } from "./classification";
import { chunkedSnapshot, chunkOf, partsByChunk, type TChunkRun } from "./partials";
import type { TSnapshot } from "./snapshot";
import { judgesKey, jsonRows, type TJudgeRef } from "./sql";

type Tx = Prisma.TransactionClient;

export type TQualityRow = TJudgeQuality & { judgeId: number; subject: string | null; isOverall: boolean };

/** A chunk's part: its labelled and judged items counted by judge, subject, verdict and gold label. */
type TCount = { judgeId: number; subject: string | null; yes: boolean; correct: boolean; n: number };

/** The counts of each chunk of the run (chunks of ./partials.ts). */
export async function qualityOfRun(tx: Tx, datasetId: number, judges: readonly TJudgeRef[], run: TChunkRun): Promise<Map<number, TCount[]>> {
  if (judges.length === 0) return new Map();
  // The labelled responses with their subjects once (responses(dataset_id, gold_label, id),
  // questions(dataset_id, subject, id)), then one judge at a time: with the judge fixed, each
  // labelled response is one probe of judgments_analytics_idx (an OR over judges made the planner
  // read every judgment instead).
  const perJudge = judges.map(
    (judge) => Prisma.sql`SELECT l.chunk, j.judge_id, l.subject, j.verdict = 'YES' AS yes, l.correct
      FROM labelled l
      JOIN judgments j ON j.response_id = l.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
      WHERE j.verdict IN ('YES', 'NO')`,
  );
  const rows = await jsonRows<{ chunk: number; judge_id: number; subject: string | null; yes: boolean; correct: boolean; n: number }>(
    tx,
    Prisma.sql`
    WITH labelled AS MATERIALIZED (
      SELECT r.id, ${chunkOf(Prisma.sql`r.id`)}::int AS chunk, q.subject, r.gold_label = 'correct' AS correct
      FROM responses r JOIN questions q ON q.id = r.question_id
      WHERE r.dataset_id = ${datasetId} AND r.gold_label IN ('correct', 'incorrect') AND r.id >= ${run.lo} AND r.id < ${run.hi}
    ), answers AS (${Prisma.join(perJudge, " UNION ALL ")})
    SELECT chunk, judge_id, subject, yes, correct, count(*)::int AS n FROM answers GROUP BY chunk, judge_id, subject, yes, correct`,
  );
  return partsByChunk(rows, (chunkRows) => chunkRows.map((r) => ({ judgeId: r.judge_id, subject: r.subject, yes: r.yes, correct: r.correct, n: r.n })));
}

/** Every judge's quality overall and per subject, from the counts of all chunks. */
export function qualityOf(parts: readonly TCount[][]): TQualityRow[] {
  const groups = new Map<string, { judgeId: number; subject: string | null; isOverall: boolean; cells: TJudgeCounts }>();
  const add = (judgeId: number, subject: string | null, isOverall: boolean, c: TCount) => {
    const id = `${judgeId}\u0000${isOverall ? "\u0002" : (subject ?? "\u0001")}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { judgeId, subject, isOverall, cells: { tp: 0, fp: 0, fn: 0, tn: 0 } }));
    g.cells[c.yes ? (c.correct ? "tp" : "fp") : c.correct ? "fn" : "tn"] += c.n;
  };
  for (const part of parts) {
    for (const c of part) {
      add(c.judgeId, null, true, c);
      add(c.judgeId, c.subject, false, c);
    }
  }
  return [...groups.values()].map((g) => ({ judgeId: g.judgeId, subject: g.subject, isOverall: g.isOverall, ...judgeQuality(g.cells) }));
}

/**
 * Per judge and per (judge, subject), kept as a snapshot and as parts per chunk of responses
 * (./partials.ts): an expert's label recomputes the chunk of its response only.
 */
export async function judgeQualityTable(datasetId: number, judges: readonly TJudgeRef[], options: { fresh?: boolean } = {}): Promise<TSnapshot<TQualityRow[]>> {
  return chunkedSnapshot(
    datasetId,
    `quality:${judgesKey(judges)}`,
    { compute: (tx, run) => qualityOfRun(tx, datasetId, judges, run), empty: () => [], combine: qualityOf },
    options,
  );
}
