// Finding the stored response that a row of an external file talks about, by the text of its
// question and response. When one question has several responses with the same text, the k-th
// such row of the file goes to the k-th of them in sample order (per `slot`: e.g. per annotator
// for label files, where every annotator has a row for the same response).
// The database hashes each stored pair itself and sends only (id, digest), not the texts (a
// million responses' texts are over half a gigabyte, held at once).
import { createHash } from "node:crypto";
import { Prisma } from "@/lib/db/generated/client";
import type { TSql } from "@/lib/db/sql";

// The same digest on both sides: sha256 of the question's UTF-8, a NUL byte, the response's UTF-8.
const pairKey = (question: string, response: string) =>
  createHash("sha256").update(question).update("\u0000").update(response).digest("base64");
const PAIR_KEY_SQL = Prisma.sql`encode(sha256(convert_to(q.text, 'UTF8') || decode('00', 'hex') || convert_to(r.text, 'UTF8')), 'base64')`;

export type TResponseMatcher = {
  match(question: string, response: string, slot?: string): { id: number } | { reason: string };
};

export async function responseMatcher(sql: TSql, datasetId: number): Promise<TResponseMatcher> {
  const rows = await sql.query<{ id: number; key: string }>(Prisma.sql`
    SELECT r.id, ${PAIR_KEY_SQL} AS key
    FROM responses r JOIN questions q ON q.id = r.question_id
    WHERE r.dataset_id = ${datasetId}
    ORDER BY r.question_id, r.sample_index, r.id`);
  const byPair = new Map<string, number[]>();
  for (const row of rows) {
    const ids = byPair.get(row.key);
    if (ids) ids.push(row.id);
    else byPair.set(row.key, [row.id]);
  }
  const used = new Map<string, number>();
  return {
    match(question, response, slot = "") {
      const key = pairKey(question, response);
      const ids = byPair.get(key);
      if (!ids) return { reason: "no response with this question and response text in the dataset" };
      const usedKey = `${slot}\u0000${key}`;
      const k = used.get(usedKey) ?? 0;
      const id = ids[k];
      if (id === undefined) {
        return { reason: `more rows for this question and response than the dataset has responses (${ids.length})` };
      }
      used.set(usedKey, k + 1);
      return { id };
    },
  };
}
