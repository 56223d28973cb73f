"use client";
// Archive or restore a judge (lib/judges/archive.ts): reversible, so no dialog; what it does is
// said beside the button.
import { useRouter } from "next/navigation";
import { ActionButton } from "@/components/ui/action-button";
import { setJudgeArchivedAction } from "@/lib/judges/actions";

/** `busyRun`: a run of the judge under way, which archiving must wait for (the server refuses it too). */
export function ArchiveControl({ judgeId, archived, busyRun = null }: { judgeId: number; archived: boolean; busyRun?: { id: number; status: string } | null }) {
  const router = useRouter();
  if (!archived && busyRun) {
    return (
      <span className="flex max-w-xs flex-col items-end gap-1 text-right">
        <button type="button" disabled className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 opacity-60">
          Archive judge
        </button>
        <span className="text-xs text-slate-600" data-testid="archive-blocked">
          Run {busyRun.id} is {busyRun.status}: cancel it, or let it finish, first.
        </span>
      </span>
    );
  }
  return (
    <ActionButton
      // The error goes under the button, not beside it into the text's column.
      wrapperClassName="flex max-w-xs flex-col items-end gap-1 text-right"
      label={archived ? "Restore judge" : "Archive judge"}
      pendingLabel={archived ? "Restoring…" : "Archiving…"}
      className={
        archived
          ? "rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700"
          : "rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50"
      }
      action={() => setJudgeArchivedAction({ judgeId, archived: !archived })}
      onDone={() => router.refresh()}
    />
  );
}
