"use client";

// The adjudicator's decision on an item whose experts disagree (researchers and admins decide).
// Where the experts disagree, the decision is the gold label. Versioned: a stale decision is
// refused with the current one shown. Made afresh per item, not per decision: a refused decision
// keeps its reason typed and its error beside the decision now stored, to decide again from it.
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { adjudicateAction } from "@/lib/labels/actions";
import { LabelBadge } from "@/components/ui/badges";
import { judgmentKeys } from "./keys";

type TValue = "correct" | "incorrect" | "unsure";
type TProps = { responseId: number; current: { value: string; note: string; version: number } | null; canAdjudicate: boolean };

export function Adjudicate({ responseId, current, canAdjudicate }: TProps) {
  const queryClient = useQueryClient();
  const router = useRouter();
  // Why it was decided so, kept with the decision (and in the audit log) as labels keep theirs.
  const [note, setNote] = useState(current?.note ?? "");
  const decide = useMutation({
    mutationFn: async (value: TValue) => {
      const result = await adjudicateAction({ responseId, value, note, expectedVersion: current?.version ?? null });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: judgmentKeys.detail(responseId) });
      router.refresh();
    },
  });
  return (
    <div className="mt-3 rounded-md border border-amber-200 bg-amber-50 p-3" data-testid="adjudication">
      <p className="text-sm">
        The experts disagree.{" "}
        {current ? (
          <>
            Decision: <LabelBadge label={current.value} /> <span className="text-xs text-slate-500">v{current.version}</span>
            {current.note && <span className="ml-1 text-slate-700" data-testid="adjudication-note">“{current.note}”</span>}
          </>
        ) : (
          "No adjudicator has decided yet; until one does, the majority is the gold label, and a tie has none."
        )}
      </p>
      {canAdjudicate && (
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
          <input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={2000}
            placeholder="why (optional)"
            aria-label="Reason for the decision"
            className="min-w-48 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1"
          />
          <span className="text-slate-600">Decide:</span>
          {(["correct", "incorrect", "unsure"] as const).map((v) => (
            <button key={v} type="button" disabled={decide.isPending} onClick={() => decide.mutate(v)} className="rounded-md border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50 disabled:opacity-50">
              {v}
            </button>
          ))}
        </div>
      )}
      {decide.isError && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {decide.error.message}
        </p>
      )}
    </div>
  );
}
