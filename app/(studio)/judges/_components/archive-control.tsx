"use client";
// Archive or restore a judge (lib/judges/archive.ts): reversible, so no dialog; what it does is
// said beside the button.
import { useRouter } from "next/navigation";
import { ActionButton } from "@/components/ui/action-button";
import { setJudgeArchivedAction } from "@/lib/judges/actions";

export function ArchiveControl({ judgeId, archived }: { judgeId: number; archived: boolean }) {
  const router = useRouter();
  return (
    <ActionButton
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
