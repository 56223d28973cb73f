"use client";

// The review screen's server calls. Claims go through a REST route (they run beside label saves);
// saves, skips and undos are server actions in one mutation scope, so they reach the server in
// the order the expert pressed the keys, and each reads the newest version it knows when it runs.
import { useMutation } from "@tanstack/react-query";
import { labelQueueItemAction, skipQueueItemAction, undoQueueLabelAction } from "@/lib/review/actions";
import type { TReviewItem } from "@/lib/review/items";
import { reviewKeys } from "./keys";

export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type TResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: unknown } };
function unwrap<T>(result: TResult<T>): T {
  if (!result.ok) throw new ActionError(result.error.code, result.error.message, result.error.details);
  return result.data;
}

export async function claimItems(queueId: number, count: number, exclude: number[]): Promise<TReviewItem[]> {
  const res = await fetch(`/api/v1/review/queues/${queueId}/claim`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ count, exclude }),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ActionError(body?.error?.code ?? "INTERNAL", body?.error?.message ?? `request failed (${res.status})`);
  return body.data.items as TReviewItem[];
}

export function useClaimItems(queueId: number) {
  return useMutation({
    mutationKey: reviewKeys.claim(queueId),
    mutationFn: ({ count, exclude }: { count: number; exclude: number[] }) => claimItems(queueId, count, exclude),
  });
}

type TValue = "correct" | "incorrect" | "unsure";

/** What the screen knows of each item's label on the server, updated as each call returns. */
export type TServerState = {
  /** the version of my label on the server (null: none), for optimistic concurrency */
  versions: Map<number, number | null>;
};

/** One undoable step; `historyId` is filled in once its save has gone through. */
export type TUndoStep = { responseId: number; kind: "label" | "skip"; historyId: number | null };

export function useSaveLabel(queueId: number, server: TServerState) {
  return useMutation({
    scope: { id: reviewKeys.saves(queueId) },
    mutationFn: async (input: { responseId: number; value: TValue; note: string; step: TUndoStep }) => {
      try {
        const data = unwrap(
          await labelQueueItemAction({ queueId, responseId: input.responseId, value: input.value, note: input.note, expectedVersion: server.versions.get(input.responseId) ?? null }),
        );
        // Set before this mutation settles, so the next one in the scope reads it.
        server.versions.set(input.responseId, data.label.version);
        input.step.historyId = data.historyId;
        return data;
      } catch (error) {
        if (error instanceof ActionError && error.code === "CONFLICT") {
          const current = (error.details as { current?: { version: number } | null } | undefined)?.current;
          server.versions.set(input.responseId, current?.version ?? null);
        }
        throw error;
      }
    },
  });
}

export function useSkipItem(queueId: number) {
  return useMutation({
    scope: { id: reviewKeys.saves(queueId) },
    mutationFn: async (responseId: number) => unwrap(await skipQueueItemAction({ queueId, responseId })),
  });
}

export function useUndoLabel(queueId: number, server: TServerState) {
  return useMutation({
    scope: { id: reviewKeys.saves(queueId) },
    mutationFn: async (step: TUndoStep) => {
      if (step.historyId === null) return null; // its save was refused or changed nothing: nothing to undo
      const data = unwrap(await undoQueueLabelAction({ queueId, historyId: step.historyId }));
      server.versions.set(step.responseId, data.label?.version ?? null);
      return data;
    },
  });
}
