"use client";

import { useRouter } from "next/navigation";
import { ActionButton } from "@/components/ui/action-button";
import { deleteQueueAction } from "@/lib/review/actions";

/** Deletes a review queue after the browser's confirmation, then goes back to the queues. */
export function DeleteQueue({ id, name, items }: { id: number; name: string; items: string }) {
  const router = useRouter();
  return (
    <ActionButton
      label="Delete queue"
      pendingLabel="Deleting…"
      className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50"
      confirm={`Delete the queue "${name}" and its ${items} items? The labels experts gave through it stay.`}
      action={() => deleteQueueAction(id)}
      onDone={() => router.push("/review")}
    />
  );
}
