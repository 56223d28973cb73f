// Experts against experts: each annotator's labels on this dataset, Cohen's kappa for every pair
// of annotators on the items both labelled, and Krippendorff's alpha (nominal) over all of them.
// Labels are correct / incorrect; "unsure" is either left out (missing) or a third category.
// Annotators are the imported annotator names, or the studio user who labelled (shown by name).
// Every query starts from the labels of the dataset: expert_labels joined to responses by id.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { agreement, type TAgreement } from "./agreement";
import { krippendorffAlphaNominal, type TAlpha } from "./krippendorff";
import { snapshot, type TSnapshot } from "./snapshot";

type Tx = Prisma.TransactionClient;

export type TUnsure = "missing" | "category";
export type TAnnotator = { annotator: string; name: string; labels: number; correct: number; incorrect: number; unsure: number };
export type TAnnotatorPair = TAgreement & { a: string; b: string };
export type TExpertAgreement = { annotators: TAnnotator[]; pairs: TAnnotatorPair[]; alpha: TAlpha; labelledItems: number };

export async function expertAgreementOf(tx: Tx, datasetId: number, unsure: TUnsure): Promise<TExpertAgreement> {
  const annotators = await tx.$queryRaw<TAnnotator[]>`
    SELECT l.annotator, coalesce(max(u.name), l.annotator) AS name, count(*)::int AS labels,
      count(*) FILTER (WHERE l.value = 'correct')::int AS correct, count(*) FILTER (WHERE l.value = 'incorrect')::int AS incorrect,
      count(*) FILTER (WHERE l.value = 'unsure')::int AS unsure
    FROM expert_labels l JOIN responses r ON r.id = l.response_id LEFT JOIN users u ON u.id = l.user_id
    WHERE r.dataset_id = ${datasetId}
    GROUP BY l.annotator ORDER BY l.annotator`;
  // Pairs of labels on the same item (unique index expert_labels(response_id, annotator)).
  const cells = await tx.$queryRaw<{ a: string; b: string; va: boolean; vb: boolean; n: number }[]>`
    SELECT x.annotator AS a, y.annotator AS b, x.value = 'correct' AS va, y.value = 'correct' AS vb, count(*)::int AS n
    FROM expert_labels x
    JOIN expert_labels y ON y.response_id = x.response_id AND y.annotator > x.annotator
    JOIN responses r ON r.id = x.response_id
    WHERE r.dataset_id = ${datasetId} AND x.value <> 'unsure' AND y.value <> 'unsure'
    GROUP BY 1, 2, 3, 4`;
  const byPair = new Map<string, { a: string; b: string; cells: { yy: number; yn: number; ny: number; nn: number } }>();
  for (const c of cells) {
    const id = `${c.a}\u0000${c.b}`;
    const p = byPair.get(id) ?? { a: c.a, b: c.b, cells: { yy: 0, yn: 0, ny: 0, nn: 0 } };
    p.cells[c.va ? (c.vb ? "yy" : "yn") : c.vb ? "ny" : "nn"] += c.n;
    byPair.set(id, p);
  }
  // One row per distinct (correct, incorrect, unsure) count profile of an item.
  const profiles = await tx.$queryRaw<{ c: number; i: number; u: number; items: number }[]>`
    SELECT c, i, u, count(*)::int AS items FROM (
      SELECT count(*) FILTER (WHERE l.value = 'correct')::int AS c, count(*) FILTER (WHERE l.value = 'incorrect')::int AS i,
        count(*) FILTER (WHERE l.value = 'unsure')::int AS u
      FROM expert_labels l JOIN responses r ON r.id = l.response_id
      WHERE r.dataset_id = ${datasetId}
      GROUP BY l.response_id
    ) per_item GROUP BY 1, 2, 3`;
  const alpha = krippendorffAlphaNominal(profiles.map((p) => ({ counts: unsure === "category" ? [p.c, p.i, p.u] : [p.c, p.i], multiplicity: p.items })));
  return {
    annotators,
    pairs: [...byPair.values()].map((p) => ({ a: p.a, b: p.b, ...agreement(p.cells) })),
    alpha,
    labelledItems: profiles.reduce((a, p) => a + p.items, 0),
  };
}

export async function expertAgreement(datasetId: number, unsure: TUnsure, options: { fresh?: boolean } = {}): Promise<TSnapshot<TExpertAgreement>> {
  // "v2": the pairs' intervals as agreement() gives them since kappa ±1 has none (figures stored
  // under the old key had [1, 1] and [-1, -1]).
  return snapshot(datasetId, `experts-v2:${unsure}`, (tx) => expertAgreementOf(tx, datasetId, unsure), options);
}
