// The SQL condition of a judgments filter, over `responses r`. Shared by the list, its count
// and the export, so all three always select the same rows.
// A judge's column shows its judgment for its current template version and sample 0; the
// EXISTS sub-queries probe the unique index judgments(response_id, judge_id, template_version,
// sample) per response, or, for rare verdicts, start from judgments(judge_id, template_version,
// verdict, response_id). Subjects come from questions(dataset_id, subject).
import { Prisma } from "@/lib/db/generated/client";
import { lengthBucketByKey } from "@/lib/stats/length-buckets";
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
  if (filters.subject !== undefined) {
    parts.push(Prisma.sql`r.question_id IN (SELECT qs.id FROM questions qs WHERE qs.dataset_id = ${filters.dataset} AND qs.subject = ${filters.subject})`);
  }
  if (filters.model !== undefined) parts.push(Prisma.sql`r.policy_model = ${filters.model}`);
  const bucket = filters.len ? lengthBucketByKey(filters.len) : undefined;
  if (bucket) {
    parts.push(Prisma.sql`r.text_length >= ${bucket.min}`);
    if (bucket.max !== null) parts.push(Prisma.sql`r.text_length < ${bucket.max}`);
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
    // Both correlations in WHERE (not in the JOIN's ON): only then does Postgres turn the EXISTS
    // into a semi-join, which a count over a million responses needs (a merge join instead of a
    // million nested probes).
    return Prisma.sql`EXISTS (SELECT 1 FROM judgments ja, judgments jb
      WHERE ${judgmentOf("ja", judge(a.judgeId))} AND ${judgmentOf("jb", judge(b.judgeId))}
        AND ja.verdict IN ('YES', 'NO') AND jb.verdict IN ('YES', 'NO') AND ja.verdict <> jb.verdict)`;
  }
  const j = a.kind === "judge" ? a : (b as Extract<TRater, { kind: "judge" }>);
  // The gold-label condition, stated outside the EXISTS too, lets the planner start from the
  // labelled responses (responses(dataset_id, gold_label, id)) instead of probing every response.
  return Prisma.sql`r.gold_label IN ('correct', 'incorrect') AND EXISTS (SELECT 1 FROM judgments ja WHERE ${judgmentOf("ja", judge(j.judgeId))}
    AND ((ja.verdict = 'YES' AND r.gold_label = 'incorrect') OR (ja.verdict = 'NO' AND r.gold_label = 'correct')))`;
}
