"use client";

import { ActionButton } from "@/components/ui/action-button";
import { revokeTokenAction } from "@/lib/tokens/actions";

export function RevokeButton({ id, name }: { id: number; name: string }) {
  return (
    <ActionButton
      label="Revoke"
      pendingLabel="Revoking…"
      className="rounded-md px-2 py-1 text-red-700 ring-1 ring-red-200 hover:bg-red-50"
      confirm={`Revoke the token "${name}"? Programs using it stop working at once.`}
      action={() => revokeTokenAction({ id })}
    />
  );
}
