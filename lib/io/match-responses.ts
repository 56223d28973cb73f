// Finding the stored response that a row of an external file talks about, by the text of its
// question and response. When one question has several responses with the same text, the k-th
// such row of the file goes to the k-th of them in sample order (per `slot`: e.g. per annotator
// for label files, where every annotator has a row for the same response). A row that names its
// policy model (or sample index) is matched among the responses of that model (and index) only:
// several models often give one question the same answer ("Paris"), and a label of one model's
// answer must not land on another's.
// The database hashes each stored pair itself and sends only (id, digest), not the texts (a
// million responses' texts are over half a gigabyte, held at once).
import { createHash } from "node:crypto";
import { Prisma } from "@/lib/db/generated/client";
import type { TSql } from "@/lib/db/sql";

// The same digest on both sides: sha256 of the question's UTF-8, a NUL byte, the response's UTF-8.
const pairKey = (question: string, response: string) =>
  createHash("sha256").update(question).update("\u0000").update(response).digest("base64");
const PAIR_KEY_SQL = Prisma.sql`encode(sha256(convert_to(q.text, 'UTF8') || decode('00', 'hex') || convert_to(r.text, 'UTF8')), 'base64')`;

/** What a row says of the response beyond its text: its policy model and sample index, when it gives them. */
export type TResponseHints = { policyModel?: string; sampleIndex?: number };

export type TResponseMatcher = {
  match(question: string, response: string, slot?: string, hints?: TResponseHints): { id: number } | { reason: string };
};

export async function responseMatcher(sql: TSql, datasetId: number): Promise<TResponseMatcher> {
  const rows = await sql.query<{ id: number; key: string; model: string; sample: number }>(Prisma.sql`
    SELECT r.id, ${PAIR_KEY_SQL} AS key, r.policy_model AS model, r.sample_index AS sample
    FROM responses r JOIN questions q ON q.id = r.question_id
    WHERE r.dataset_id = ${datasetId}
    ORDER BY r.question_id, r.sample_index, r.id`);
  type TCandidate = { id: number; model: string; sample: number };
  const byPair = new Map<string, TCandidate[]>();
  for (const row of rows) {
    const candidate = { id: row.id, model: row.model, sample: row.sample };
    const list = byPair.get(row.key);
    if (list) list.push(candidate);
    else byPair.set(row.key, [candidate]);
  }
  const used = new Map<string, number>();
  return {
    match(question, response, slot = "", hints = {}) {
      const key = pairKey(question, response);
      const all = byPair.get(key);
      if (!all) return { reason: "no response with this question and response text in the dataset" };
      const { policyModel, sampleIndex } = hints;
      const candidates = all.filter((c) => (policyModel === undefined || c.model === policyModel) && (sampleIndex === undefined || c.sample === sampleIndex));
      const named = [policyModel !== undefined ? `policy model "${policyModel}"` : null, sampleIndex !== undefined ? `sample index ${sampleIndex}` : null].filter(Boolean).join(" and ");
      if (candidates.length === 0) return { reason: `no response of ${named} has this question and response text in the dataset` };
      const usedKey = `${slot}\u0000${policyModel ?? ""}\u0000${sampleIndex ?? ""}\u0000${key}`;
      const k = used.get(usedKey) ?? 0;
      const candidate = candidates[k];
      if (candidate === undefined) {
        return { reason: `more rows for this question and response${named ? ` of ${named}` : ""} than the dataset has responses (${candidates.length})` };
      }
      used.set(usedKey, k + 1);
      return { id: candidate.id };
    },
  };
}
