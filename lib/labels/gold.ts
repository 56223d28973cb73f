// The gold label of an item. Where its experts disagree (at least one said correct and at least
// one said incorrect) and an adjudicator has decided, the decision is the gold label. Otherwise
// it is the majority of the expert labels: "unsure" votes count only when nobody said correct or
// incorrect, and a tie between correct and incorrect has no gold label. The agreement and quality
// views read the result from responses.gold_label.
import type { Prisma } from "@/lib/db/generated/client";

export type TLabelValue = "correct" | "incorrect" | "unsure";

/** True when the experts' labels contain both correct and incorrect: an adjudicator is needed. */
export function expertsDisagree(values: readonly TLabelValue[]): boolean {
  return values.includes("correct") && values.includes("incorrect");
}

export function resolveGold(values: readonly TLabelValue[], decision: TLabelValue | null = null): TLabelValue | null {
  if (decision !== null && expertsDisagree(values)) return decision;
  let correct = 0;
  let incorrect = 0;
  for (const v of values) {
    if (v === "correct") correct++;
    else if (v === "incorrect") incorrect++;
  }
  if (correct > incorrect) return "correct";
  if (incorrect > correct) return "incorrect";
  if (correct === 0 && values.length > 0) return "unsure";
  return null;
}

/** Recomputes responses.gold_label for `responseIds` from their expert labels and adjudications. */
export async function refreshGold(tx: Prisma.TransactionClient, responseIds: readonly number[]) {
  const ids = [...new Set(responseIds)];
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    // Lock the rows (in id order, no deadlocks) before reading labels: a concurrent writer of
    // labels on the same responses then waits, and whoever goes last reads every label.
    await tx.$queryRaw`SELECT id FROM responses WHERE id = ANY(${chunk}::int[]) ORDER BY id FOR UPDATE`;
    const [labels, decisions] = await Promise.all([
      tx.expertLabel.findMany({ where: { responseId: { in: chunk } }, select: { responseId: true, value: true } }),
      tx.adjudication.findMany({ where: { responseId: { in: chunk } }, select: { responseId: true, value: true } }),
    ]);
    const byResponse = new Map<number, TLabelValue[]>(chunk.map((id) => [id, []]));
    for (const label of labels) byResponse.get(label.responseId)!.push(label.value);
    const decisionOf = new Map(decisions.map((d) => [d.responseId, d.value as TLabelValue]));
    const gold = chunk.map((id) => resolveGold(byResponse.get(id)!, decisionOf.get(id) ?? null));
    await tx.$executeRaw`
      UPDATE responses r SET gold_label = g.gold::label_value
      FROM unnest(${chunk}::int[], ${gold}::text[]) AS g(id, gold)
      WHERE r.id = g.id AND r.gold_label IS DISTINCT FROM g.gold::label_value`;
  }
}
