// The gold label of an item. Where its experts disagree (at least one said correct and at least
// one said incorrect) and an adjudicator has decided, the decision is the gold label. Otherwise
// it is the majority of the expert labels: "unsure" votes count only when nobody said correct or
// incorrect, and a tie between correct and incorrect has no gold label. The agreement and quality
// views read the result from responses.gold_label.
import { Prisma } from "@/lib/db/generated/client";
import { isSql, prismaSql, type TSql } from "@/lib/db/sql";

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

/**
 * Recomputes responses.gold_label for `responseIds` from their expert labels and adjudications,
 * in one statement per chunk. This SQL is the rule's only implementation on stored data;
 * gold.int.test.ts checks it against resolveGold (the rule as a pure function) on every
 * combination of up to three labels, with and without a decision.
 */
export async function refreshGold(tx: Prisma.TransactionClient | TSql, responseIds: readonly number[]) {
  const sql = isSql(tx) ? tx : prismaSql(tx);
  const ids = [...new Set(responseIds)];
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    // Lock the rows (in id order, no deadlocks) before reading labels: a concurrent writer of
    // labels on the same responses then waits, and whoever goes last reads every label.
    await sql.query(Prisma.sql`SELECT id FROM responses WHERE id = ANY(${chunk}::int[]) ORDER BY id FOR UPDATE`);
    await sql.query(Prisma.sql`
      UPDATE responses r SET gold_label = g.gold
      FROM (
        SELECT i.id,
          CASE
            WHEN a.value IS NOT NULL AND s.c > 0 AND s.n > 0 THEN a.value
            WHEN s.c > s.n THEN 'correct'
            WHEN s.n > s.c THEN 'incorrect'
            WHEN s.c = 0 AND s.total > 0 THEN 'unsure'
          END::label_value AS gold
        FROM unnest(${chunk}::int[]) AS i(id)
        LEFT JOIN LATERAL (
          SELECT count(*) FILTER (WHERE value = 'correct') AS c,
                 count(*) FILTER (WHERE value = 'incorrect') AS n,
                 count(*) AS total
          FROM expert_labels l WHERE l.response_id = i.id
        ) s ON true
        LEFT JOIN adjudications a ON a.response_id = i.id
      ) g
      WHERE r.id = g.id AND r.gold_label IS DISTINCT FROM g.gold
      RETURNING r.id`);
  }
}
