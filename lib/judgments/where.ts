// The SQL condition of a judgments filter, over `responses r`. Shared by the list, its count
// and the export, so all three always select the same rows.
// A judge's column shows its judgment for its current template version and sample 0; the
// EXISTS sub-queries use the index judgments(judge_id, template_version, verdict, response_id)
// through its unique sibling (response_id, judge_id, template_version, sample).
import { Prisma } from "@/lib/db/generated/client";
import type { TJudgmentFilters, TRater } from "./filters";

export type TJudgeRef = { id: number; templateVersion: string };

const judgmentOf = (alias: string, judge: TJudgeRef) =>
  Prisma.sql`${Prisma.raw(alias)}.response_id = r.id AND ${Prisma.raw(alias)}.judge_id = ${judge.id}
    AND ${Prisma.raw(alias)}.template_version = ${judge.templateVersion} AND ${Prisma.raw(alias)}.sample = 0`;

export function judgmentsWhere(filters: TJudgmentFilters, judges: Map<number, TJudgeRef>): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`r.dataset_id = ${filters.dataset}`];
  const judge = (id: number): TJudgeRef => judges.get(id) ?? { id, templateVersion: "" };

  for (const { judgeId, verdict } of filters.verdict) {
    const j = judge(judgeId);
    parts.push(
      verdict === "NONE"
        ? Prisma.sql`NOT EXISTS (SELECT 1 FROM judgments j WHERE ${judgmentOf("j", j)})`
        : Prisma.sql`EXISTS (SELECT 1 FROM judgments j WHERE ${judgmentOf("j", j)} AND j.verdict = ${verdict}::verdict)`,
    );
  }
  if (filters.disagree) parts.push(disagreement(filters.disagree, judge));
  if (filters.label) {
    parts.push(filters.label === "none" ? Prisma.sql`r.gold_label IS NULL` : Prisma.sql`r.gold_label = ${filters.label}::label_value`);
  }
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(Prisma.sql`(r.text ILIKE ${pattern} OR EXISTS (SELECT 1 FROM questions qq WHERE qq.id = r.question_id AND qq.text ILIKE ${pattern}))`);
  }
  return Prisma.join(parts, " AND ");
}

/** Both raters gave a YES/NO-type answer and the answers differ. */
function disagreement([a, b]: [TRater, TRater], judge: (id: number) => TJudgeRef): Prisma.Sql {
  if (a.kind === "judge" && b.kind === "judge") {
    return Prisma.sql`EXISTS (SELECT 1 FROM judgments ja JOIN judgments jb ON ${judgmentOf("jb", judge(b.judgeId))}
      WHERE ${judgmentOf("ja", judge(a.judgeId))}
        AND ja.verdict IN ('YES', 'NO') AND jb.verdict IN ('YES', 'NO') AND ja.verdict <> jb.verdict)`;
  }
  const j = a.kind === "judge" ? a : (b as Extract<TRater, { kind: "judge" }>);
  return Prisma.sql`EXISTS (SELECT 1 FROM judgments ja WHERE ${judgmentOf("ja", judge(j.judgeId))}
    AND ((ja.verdict = 'YES' AND r.gold_label = 'incorrect') OR (ja.verdict = 'NO' AND r.gold_label = 'correct')))`;
}
