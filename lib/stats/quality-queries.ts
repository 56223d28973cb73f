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
  const counts: TCount[] = [];
  // One judge at a time: with the judge fixed, each labelled response is one probe of
  // judgments_analytics_idx (an OR over judges made the planner read every judgment instead).
  for (const judge of judges) {
    counts.push(
      ...(await tx.$queryRaw<TCount[]>`
        SELECT j.judge_id, q.subject, GROUPING(q.subject) = 1 AS overall, j.verdict = 'YES' AS yes, r.gold_label = 'correct' AS correct, count(*)::int AS n
        FROM responses r
        JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
        JOIN questions q ON q.id = r.question_id
        WHERE r.dataset_id = ${datasetId} AND r.gold_label IN ('correct', 'incorrect') AND j.verdict IN ('YES', 'NO')
        GROUP BY GROUPING SETS ((j.judge_id, yes, correct), (j.judge_id, q.subject, yes, correct))`),
    );
  }
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
