"use client";

// Changing a queue's experts (whoever made it, or an admin): remove one (the items they hold or
// skipped go back to the others; their labels stay), or add one of the studio's labelers.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { ActionButton } from "@/components/ui/action-button";
import { addQueueMemberAction, removeQueueMemberAction } from "@/lib/review/actions";

export function RemoveMember({ queueId, userId, name }: { queueId: number; userId: string; name: string }) {
  const router = useRouter();
  return (
    <ActionButton
      label="Remove"
      pendingLabel="Removing…"
      // the refusal under the button, not squeezing the table beside it
      wrapperClassName="inline-flex max-w-xs flex-col items-end gap-1 text-xs"
      className="rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50"
      confirm={`Remove ${name} from this queue? The labels they gave stay; the items they hold or skipped go back to the others.`}
      action={() => removeQueueMemberAction({ queueId, userId })}
      onDone={() => router.refresh()}
    />
  );
}

export function AddMember({ queueId, candidates }: { queueId: number; candidates: { id: string; name: string; role: string }[] }) {
  const router = useRouter();
  const [userId, setUserId] = useState("");
  if (candidates.length === 0) return <p className="text-sm text-slate-500">Every expert of the studio labels this queue already.</p>;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <select value={userId} onChange={(e) => setUserId(e.target.value)} aria-label="Expert to add" className="rounded-md border border-slate-300 bg-white px-2 py-1">
        <option value="">add an expert…</option>
        {candidates.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.role})
          </option>
        ))}
      </select>
      {userId && (
        <ActionButton
          label="Add"
          pendingLabel="Adding…"
          className="rounded-md bg-blue-700 px-3 py-1 font-medium text-white hover:bg-blue-600"
          action={() => addQueueMemberAction({ queueId, userId })}
          onDone={() => {
            setUserId("");
            router.refresh();
          }}
        />
      )}
    </div>
  );
}
