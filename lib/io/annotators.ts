// An imported label's annotator is a name from the file; a label given in the studio has the
// expert's user id as its annotator (lib/labels/set-label.ts). A file naming a user's id would put
// a label in that user's place: their analytics would count it as theirs, their own label of the
// item would be refused as "changed elsewhere", and they could not undo it. So an import may name
// no studio user but the one importing (whose labels are theirs to bring).
import { Prisma } from "@/lib/db/generated/client";
import type { TSql } from "@/lib/db/sql";
import type { TReject } from "./types";

/**
 * The rows whose annotator is not another studio user's id; the others go to `reject`, with why.
 * One query per call, over the distinct annotators of the rows.
 */
export async function withoutUserAnnotators<T extends { line: number }>(
  sql: TSql,
  importerId: string | null,
  rows: T[],
  annotatorOf: (row: T) => string | null | undefined,
  reject: (r: TReject) => void,
): Promise<T[]> {
  const names = [...new Set(rows.map(annotatorOf).filter((a): a is string => !!a && a !== importerId))];
  if (names.length === 0) return rows;
  const users = new Set((await sql.query<{ id: string }>(Prisma.sql`SELECT id FROM users WHERE id = ANY(${names}::text[])`)).map((u) => u.id));
  if (users.size === 0) return rows;
  return rows.filter((row) => {
    const annotator = annotatorOf(row);
    if (!annotator || !users.has(annotator) || annotator === importerId) return true;
    reject({ line: row.line, field: "annotator", reason: `"${annotator}" is a studio user's id: a user's labels are given by that user in the studio, not imported in their name; name the annotator differently` });
    return false;
  });
}
