"use client";

import { useState, useTransition } from "react";
import { revokeTokenAction } from "@/lib/tokens/actions";

export function RevokeButton({ id, name }: { id: number; name: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <button
        type="button"
        disabled={pending}
        className="rounded-md px-2 py-1 text-red-700 ring-1 ring-red-200 hover:bg-red-50 disabled:opacity-60"
        onClick={() => {
          if (!window.confirm(`Revoke the token "${name}"? Programs using it stop working at once.`)) return;
          startTransition(async () => {
            const result = await revokeTokenAction({ id });
            if (!result.ok) setError(result.error.message);
          });
        }}
      >
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {error && (
        <span role="alert" className="ml-2 text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
