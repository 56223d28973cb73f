// What the review screen shows of an item. In a blind queue the judges' verdicts and scores are
// left out on the server until the expert has a label on the item: they never reach the browser
// before that.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import type { TLabelState } from "@/lib/labels/set-label";

export type TReviewJudgment = {
  judge: string;
  verdict: "YES" | "NO" | "UNPARSEABLE" | null;
  pYes: number | null;
  softReward: number | null;
  error: string | null;
};

export type TReviewItem = {
  responseId: number;
  question: string;
  reference: string;
  subject: string | null;
  response: string;
  finalStep: string;
  policyModel: string;
  sampleIndex: number;
  myLabel: TLabelState | null;
  /** null while hidden (blind queue, no label of the expert yet) */
  judgments: TReviewJudgment[] | null;
};

type TDb = PrismaClient | Prisma.TransactionClient;

/** The current-template, first-sample judgment of each judge (as the judgments list shows). */
export async function judgmentsOf(prisma: TDb, responseIds: number[]): Promise<Map<number, TReviewJudgment[]>> {
  const rows = await prisma.$queryRaw<(TReviewJudgment & { responseId: number })[]>`
    SELECT j.response_id AS "responseId", CASE WHEN g.size_label <> '' THEN g.name || ' (' || g.size_label || ')' ELSE g.name END AS judge,
      j.verdict::text AS verdict, j.p_yes AS "pYes", j.soft_reward AS "softReward", j.error
    FROM judgments j JOIN judges g ON g.id = j.judge_id AND g.template_version = j.template_version
    WHERE j.response_id = ANY(${responseIds}::int[]) AND j.sample = 0
    ORDER BY j.response_id, g.id`;
  const byResponse = new Map<number, TReviewJudgment[]>();
  for (const { responseId, ...j } of rows) byResponse.set(responseId, [...(byResponse.get(responseId) ?? []), j]);
  return byResponse;
}

export async function reviewItems(prisma: TDb, user: { id: string }, responseIds: number[], blind: boolean): Promise<TReviewItem[]> {
  if (responseIds.length === 0) return [];
  const rows = await prisma.response.findMany({
    where: { id: { in: responseIds } },
    select: {
      id: true,
      text: true,
      finalStep: true,
      policyModel: true,
      sampleIndex: true,
      question: { select: { text: true, reference: true, subject: true } },
      labels: { where: { annotator: user.id }, select: { value: true, note: true, version: true } },
    },
  });
  const visible = rows.filter((r) => !blind || r.labels.length > 0).map((r) => r.id);
  const judgments = visible.length > 0 ? await judgmentsOf(prisma, visible) : new Map<number, TReviewJudgment[]>();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return responseIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const mine = r.labels[0];
    return [
      {
        responseId: r.id,
        question: r.question.text,
        reference: r.question.reference,
        subject: r.question.subject,
        response: r.text,
        finalStep: r.finalStep,
        policyModel: r.policyModel,
        sampleIndex: r.sampleIndex,
        myLabel: mine ? { value: mine.value, note: mine.note, version: mine.version } : null,
        judgments: !blind || mine ? (judgments.get(r.id) ?? []) : null,
      },
    ];
  });
}
