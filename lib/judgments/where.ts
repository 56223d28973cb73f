// The SQL condition of a judgments filter, over `responses r`. Shared by the list, its count
// and the export, so all three always select the same rows.
// A judge's column shows its judgment for its current template version and sample 0; the
// EXISTS sub-queries probe the unique index judgments(response_id, judge_id, template_version,
// sample) per response, or, for rare verdicts, start from judgments(judge_id, template_version,
// verdict, response_id). Subjects come from questions(dataset_id, subject, id).
import { Prisma } from "@/lib/db/generated/client";
import { lengthBucketByKey } from "@/lib/stats/length-buckets";
import type { TJudgmentFilters, TRater } from "./filters";

export type TJudgeRef = { id: number; templateVersion: string };

const judgmentOf = (alias: string, judge: TJudgeRef) =>
  Prisma.sql`${Prisma.raw(alias)}.response_id = r.id AND ${Prisma.raw(alias)}.judge_id = ${judge.id}
    AND ${Prisma.raw(alias)}.template_version = ${judge.templateVersion} AND ${Prisma.raw(alias)}.sample = 0`;

/**
 * `isCount`: the condition counts every match instead of finding the first page's: a judge-vs-judge
 * disagreement then takes the form Postgres runs as a semi-join (see `disagreement`).
 */
export function judgmentsWhere(filters: TJudgmentFilters, judges: Map<number, TJudgeRef>, options: { isCount?: boolean } = {}): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`r.dataset_id = ${filters.dataset}`];
  const judge = (id: number): TJudgeRef => judges.get(id) ?? { id, templateVersion: "" };

  for (const { judgeId, verdict } of filters.verdict) {
    const j = judge(judgeId);
    parts.push(
      verdict === "NONE"
        ? Prisma.sql`NOT EXISTS (SELECT 1 FROM judgments j WHERE ${judgmentOf("j", j)})`
        : verdict === "FAILED"
          ? // a judgment without a verdict: the call failed (its error is stored)
            Prisma.sql`EXISTS (SELECT 1 FROM judgments j WHERE ${judgmentOf("j", j)} AND j.verdict IS NULL)`
          : Prisma.sql`EXISTS (SELECT 1 FROM judgments j WHERE ${judgmentOf("j", j)} AND j.verdict = ${verdict}::verdict)`,
    );
  }
  if (filters.disagree) parts.push(disagreement(filters.disagree, judge, options.isCount === true));
  if (filters.label) parts.push(labelCondition(filters.label));
  if (filters.reward) {
    // The same band as a calibration bin or a histogram bar: [lo, hi), the last one closed at 1.
    const { judgeId, lo, hi } = filters.reward;
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM judgments jr WHERE ${judgmentOf("jr", judge(judgeId))}
      AND jr.soft_reward >= ${lo} AND ${hi >= 1 ? Prisma.sql`jr.soft_reward <= 1` : Prisma.sql`jr.soft_reward < ${hi}`})`);
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

function labelCondition(label: NonNullable<TJudgmentFilters["label"]>): Prisma.Sql {
  switch (label) {
    case "none":
      return Prisma.sql`r.gold_label IS NULL`;
    case "decided":
      return Prisma.sql`r.gold_label IN ('correct', 'incorrect')`;
    case "undecided":
      return Prisma.sql`(r.gold_label IS NULL OR r.gold_label = 'unsure')`;
    case "disputed":
      // What an adjudicator has to decide. From the expert labels (small beside the responses;
      // index expert_labels(response_id, annotator)), not per response.
      return Prisma.sql`r.id IN (SELECT c.response_id FROM expert_labels c JOIN expert_labels i ON i.response_id = c.response_id AND i.value = 'incorrect' WHERE c.value = 'correct')
        AND NOT EXISTS (SELECT 1 FROM adjudications ad WHERE ad.response_id = r.id)`;
    default:
      return Prisma.sql`r.gold_label = ${label}::label_value`;
  }
}

/** Both raters gave a YES/NO-type answer and the answers differ. */
function disagreement([a, b]: [TRater, TRater], judge: (id: number) => TJudgeRef, isCount: boolean): Prisma.Sql {
  if (a.kind === "judge" && b.kind === "judge") {
    const [ja, jb] = [judge(a.judgeId), judge(b.judgeId)];
    // For a count, both correlations go in WHERE: Postgres then makes the EXISTS a semi-join (a
    // merge or hash join, about 1 s over a million responses instead of a million nested probes).
    // For pages and exports, jb's correlation stays in the JOIN's ON, which keeps the EXISTS a
    // sub-plan probed per response in id order: a semi-join planned on tables never analysed
    // (a fresh import; the embedded database has no autovacuum) can pair every judgment of one
    // judge with every judgment of the other for each response, and never finish. Counts run
    // under a time limit (countJudgmentsWithin), pages do not.
    return isCount
      ? Prisma.sql`EXISTS (SELECT 1 FROM judgments ja, judgments jb
          WHERE ${judgmentOf("ja", ja)} AND ${judgmentOf("jb", jb)}
            AND ja.verdict IN ('YES', 'NO') AND jb.verdict IN ('YES', 'NO') AND ja.verdict <> jb.verdict)`
      : Prisma.sql`EXISTS (SELECT 1 FROM judgments ja JOIN judgments jb ON ${judgmentOf("jb", jb)}
          WHERE ${judgmentOf("ja", ja)}
            AND ja.verdict IN ('YES', 'NO') AND jb.verdict IN ('YES', 'NO') AND ja.verdict <> jb.verdict)`;
  }
  const j = a.kind === "judge" ? a : (b as Extract<TRater, { kind: "judge" }>);
  // The gold-label condition, stated outside the EXISTS too, lets the planner start from the
  // labelled responses (responses(dataset_id, gold_label, id)) instead of probing every response.
  return Prisma.sql`r.gold_label IN ('correct', 'incorrect') AND EXISTS (SELECT 1 FROM judgments ja WHERE ${judgmentOf("ja", judge(j.judgeId))}
    AND ((ja.verdict = 'YES' AND r.gold_label = 'incorrect') OR (ja.verdict = 'NO' AND r.gold_label = 'correct')))`;
}
