// Exporting the rows of a judgments filter as JSON lines, one response per line with every
// judge's judgment and the expert labels. Streamed page by page (keyset on response id), so
// memory stays flat whatever the number of rows.
import "server-only";
import { db } from "@/lib/db/client";
import type { TJudgmentFilters } from "./filters";
import type { TJudgeColumn } from "./queries";
import { judgmentsWhere } from "./where";

const PAGE = 1000;

export async function* exportJudgmentLines(filters: TJudgmentFilters, columns: TJudgeColumn[]): AsyncGenerator<string> {
  const where = judgmentsWhere(filters, new Map(columns.map((c) => [c.id, c])));
  let after = 0;
  for (;;) {
    const rows = await db().$queryRaw<
      { id: number; question_id: number; question: string; reference: string; response: string; final_step: string; policy_model: string; sample_index: number; gold_label: string | null; external_id: string | null }[]
    >`
      SELECT r.id, r.question_id, q.text AS question, q.reference, r.text AS response, r.final_step, r.policy_model,
        r.sample_index, r.gold_label::text AS gold_label, r.external_id
      FROM responses r JOIN questions q ON q.id = r.question_id
      WHERE ${where} AND r.id > ${after}
      ORDER BY r.id LIMIT ${PAGE}`;
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const [judgments, labels] = await Promise.all([
      columns.length === 0
        ? []
        : db().judgment.findMany({
            where: { responseId: { in: ids }, sample: 0, OR: columns.map((c) => ({ judgeId: c.id, templateVersion: c.templateVersion })) },
            select: { responseId: true, judgeId: true, verdict: true, pYes: true, pNo: true, softReward: true, rawOutput: true, error: true },
          }),
      db().expertLabel.findMany({
        where: { responseId: { in: ids } },
        select: { responseId: true, annotator: true, userId: true, user: { select: { name: true } }, value: true, note: true },
        orderBy: { id: "asc" },
      }),
    ]);
    const names = new Map(columns.map((c) => [c.id, c.name]));
    const judgmentsOf = group(judgments, (j) => j.responseId);
    const labelsOf = group(labels, (l) => l.responseId);
    for (const row of rows) {
      yield JSON.stringify({
        response_id: row.id,
        question_id: row.question_id,
        question: row.question,
        reference: row.reference,
        response: row.response,
        final_step: row.final_step,
        policy_model: row.policy_model,
        sample_index: row.sample_index,
        external_id: row.external_id,
        expert_label: row.gold_label,
        // A label made in the studio is its expert's (annotator: the name the studio shows, with the
        // user's id); an imported one is the annotator the file named (no studio user).
        expert_labels: (labelsOf.get(row.id) ?? []).map((l) => ({ annotator: l.user?.name ?? l.annotator, studio_user_id: l.userId, value: l.value, note: l.note })),
        judgments: Object.fromEntries(
          (judgmentsOf.get(row.id) ?? []).map((j) => [
            names.get(j.judgeId)!,
            { verdict: j.verdict, p_yes: j.pYes, p_no: j.pNo, soft_reward: j.softReward, raw_output: j.rawOutput, error: j.error },
          ]),
        ),
      }) + "\n";
    }
    after = rows.at(-1)!.id;
  }
}

function group<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

