// The review screen's undo steps, kept in the tab's sessionStorage per queue, so that Z still
// undoes the labels given before a reload. A step names a row of the label history, which the
// server checks is the expert's own change before it reverts anything. Skips are not kept: the
// skipped items come back with "Show skipped items again".
import type { TUndoStep } from "./use-review";

const key = (queueId: number) => `review-undo:${queueId}`;
/** Steps kept across a reload; older ones are dropped. */
export const KEPT_UNDO_STEPS = 100;

const isStep = (s: unknown): s is TUndoStep =>
  typeof s === "object" && s !== null && Number.isSafeInteger((s as TUndoStep).responseId) && (s as TUndoStep).kind === "label" && Number.isSafeInteger((s as TUndoStep).historyId);

export function loadUndoSteps(queueId: number): TUndoStep[] {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(key(queueId)) ?? "[]");
    return Array.isArray(stored) ? stored.filter(isStep) : [];
  } catch {
    return []; // storage off, or something else wrote the key: nothing to undo, as before a reload
  }
}

export function saveUndoSteps(queueId: number, steps: readonly TUndoStep[]) {
  try {
    sessionStorage.setItem(key(queueId), JSON.stringify(steps.filter((s) => s.kind === "label" && s.historyId !== null).slice(-KEPT_UNDO_STEPS)));
  } catch {
    // storage full or off: the steps of this page still undo
  }
}
