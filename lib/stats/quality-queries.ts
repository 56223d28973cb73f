// Judges against the experts: for each judge, the 2x2 counts of its YES/NO (sample 0, current
// template version) against the gold label (correct/incorrect) on the items that have both,
// overall and per subject. Driven by the labelled responses (responses(dataset_id, gold_label,
// id)).
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { judgeQuality, type TJudgeCounts, type TJudgeQuality } from "./classification";
import { snapshot, type TSnapshot } from "./snapshot";
import { judgesKey, type TJudgeRef } from "./sql";

type Tx = Prisma.TransactionClient;

export type TQualityRow = TJudgeQuality & { judgeId: number; subject: string | null; isOverall: boolean };

type TCount = { judge_id: number; subject: string | null; overall: boolean; yes: boolean; correct: boolean; n: number };

export async function qualityCounts(tx: Tx, datasetId: number, judges: readonly TJudgeRef[]): Promise<TQualityRow[]> {
  if (judges.length === 0) return [];
  // The labelled responses with their subjects once (responses(dataset_id, gold_label, id),
  // questions(dataset_id, subject, id)), then one judge at a time: with the judge fixed, each
  // labelled response is one probe of judgments_analytics_idx (an OR over judges made the planner
  // read every judgment instead).
  const perJudge = judges.map(
    (judge) => Prisma.sql`SELECT j.judge_id, l.subject, j.verdict = 'YES' AS yes, l.correct
      FROM labelled l
      JOIN judgments j ON j.response_id = l.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
      WHERE j.verdict IN ('YES', 'NO')`,
  );
  const counts = await tx.$queryRaw<TCount[]>`
    WITH labelled AS MATERIALIZED (
      SELECT r.id, q.subject, r.gold_label = 'correct' AS correct
      FROM responses r JOIN questions q ON q.id = r.question_id
      WHERE r.dataset_id = ${datasetId} AND r.gold_label IN ('correct', 'incorrect')
    ), answers AS (${Prisma.join(perJudge, " UNION ALL ")})
    SELECT judge_id, subject, GROUPING(subject) = 1 AS overall, yes, correct, count(*)::int AS n
    FROM answers
    GROUP BY GROUPING SETS ((judge_id, yes, correct), (judge_id, subject, yes, correct))`;
  const groups = new Map<string, { judgeId: number; subject: string | null; isOverall: boolean; cells: TJudgeCounts }>();
  for (const c of counts) {
    const id = `${c.judge_id}\u0000${c.overall ? "\u0002" : (c.subject ?? "\u0001")}`;
    const g = groups.get(id) ?? { judgeId: c.judge_id, subject: c.overall ? null : c.subject, isOverall: c.overall, cells: { tp: 0, fp: 0, fn: 0, tn: 0 } };
    g.cells[c.yes ? (c.correct ? "tp" : "fp") : c.correct ? "fn" : "tn"] += c.n;
    groups.set(id, g);
  }
  return [...groups.values()].map((g) => ({ judgeId: g.judgeId, subject: g.subject, isOverall: g.isOverall, ...judgeQuality(g.cells) }));
}

/** Per judge and per (judge, subject), kept as a snapshot. */
export async function judgeQualityTable(datasetId: number, judges: readonly TJudgeRef[], options: { fresh?: boolean } = {}): Promise<TSnapshot<TQualityRow[]>> {
  return snapshot(datasetId, `quality:${judgesKey(judges)}`, (tx) => qualityCounts(tx, datasetId, judges), options);
}
