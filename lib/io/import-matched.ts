// Importing judgments or expert labels made elsewhere from a file whose rows name the question
// and response by text (no reference, no ids): each row is matched to a stored response of the
// dataset (lib/io/match-responses.ts, k-th occurrence rule) and written in batches.
import { batches } from "./batch";
import { responseMatcher } from "./match-responses";
import type { TItemRow, TValidItem } from "./validate-item";
import type { TReject } from "./types";
import { isBlank, validateItem } from "./validate-item";
import { finishJudgeRuns, insertJudgments, insertLabels, judgeTarget, type TJudgmentWrite, type TLabelWrite } from "./write-attached";
import type { TSql } from "@/lib/db/sql";
import { withoutUserAnnotators } from "./annotators";

type TOptions = {
  annotator?: string;
  judge?: string;
  actorId: string | null;
  reject: (r: TReject) => void;
  counters: { inserted: number; skipped: number; phase: string; counts: Record<string, number> };
};

/** A labels or judgments row without its response, or the label or verdict it is there to attach (the preview says it too); null: it has both. */
export function lacksWhatItAttaches(kind: "labels" | "judgments", item: TValidItem): TReject | null {
  const wanted = kind === "labels" ? item.label : item.judgment;
  if (item.response && wanted) return null;
  return { line: item.line, field: kind === "labels" ? "expert_label" : "verdict", reason: kind === "labels" ? "no label on this row" : "no verdict on this row" };
}

export async function importMatched(
  sql: TSql,
  datasetId: number,
  kind: "judgments" | "labels",
  rows: AsyncIterable<TItemRow>,
  options: TOptions,
): Promise<{ inserted: number; skipped: number; notes: string[] }> {
  const matcher = await responseMatcher(sql, datasetId);
  const runs = new Map<string, Awaited<ReturnType<typeof judgeTarget>>>();
  const { counters } = options;
  counters.phase = "writing";
  for await (const batch of batches(rows, 2000)) {
    const labels: (TLabelWrite & { line: number })[] = [];
    const judgments = new Map<string, TJudgmentWrite[]>();
    for (const row of batch) {
      // The reference is not needed to match: validate with a stand-in.
      const item = validateItem({ ...row, reference: "-" }, { annotator: options.annotator, judge: options.judge });
      if ("reason" in item) {
        options.reject(item);
        continue;
      }
      const lacking = lacksWhatItAttaches(kind, item);
      if (lacking) {
        options.reject(lacking);
        continue;
      }
      // The response's policy model and sample index, where the row gives them, narrow the match.
      const hints = { policyModel: isBlank(row.policyModel) ? undefined : item.response!.policyModel, sampleIndex: isBlank(row.sampleIndex) ? undefined : item.response!.sampleIndex };
      // A row of the same text goes to the next stored response of that text, per slot: one
      // annotator's labels, or one judge's verdicts of one version and sample (the samples of a
      // response are rows of the same text, all of that response).
      const slot = kind === "labels" ? item.label!.annotator : `${item.judgment!.judge}\u0000${item.judgment!.templateVersion ?? ""}\u0000${item.judgment!.sample}`;
      const found = matcher.match(item.question.text, item.response!.text, slot, hints);
      if ("reason" in found) {
        options.reject({ line: row.line, field: "response", reason: found.reason });
        continue;
      }
      if (kind === "labels") labels.push({ line: row.line, responseId: found.id, ...item.label! });
      else judgments.set(item.judgment!.judge, [...(judgments.get(item.judgment!.judge) ?? []), { responseId: found.id, ...item.judgment! }]);
    }
    let added = 0;
    const allowed = await withoutUserAnnotators(sql, options.actorId, labels, (l) => l.annotator, options.reject);
    if (kind === "labels") added = await insertLabels(sql, options.actorId, allowed);
    for (const [name, list] of judgments) {
      const target = runs.get(name) ?? (await judgeTarget(sql, datasetId, name, options.actorId, list.map((j) => j.templateVersion ?? null)));
      runs.set(name, target);
      added += await insertJudgments(sql, target, list);
    }
    const offered = allowed.length + [...judgments.values()].reduce((n, l) => n + l.length, 0);
    counters.inserted += added;
    counters.skipped += offered - added;
    counters.counts = { [kind]: counters.inserted };
  }
  const notes = await finishJudgeRuns(sql, [...runs.values()]);
  return { inserted: counters.inserted, skipped: counters.skipped, notes };
}
