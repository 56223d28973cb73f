"use client";

import { useState, useTransition } from "react";
import { ROLES, ROLE_LABEL, type TRole } from "@/lib/auth/roles";
import { setUserRoleAction } from "@/lib/users/actions";

export function RoleSelect({ userId, role, label, isSelf }: { userId: string; role: TRole; label: string; isSelf: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<TRole | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center gap-2">
      <select
        aria-label={label}
        defaultValue={role}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value as TRole;
          const select = event.currentTarget;
          // A change takes effect at once; giving up one's own admin role also closes this page.
          if (isSelf && role === "admin" && next !== "admin" && !window.confirm(`Make yourself ${ROLE_LABEL[next].toLowerCase()}? You will no longer manage users and tokens; another admin would have to give the role back.`)) {
            select.value = role;
            return;
          }
          setSaved(null);
          startTransition(async () => {
            const result = await setUserRoleAction({ userId, role: next });
            if (result.ok) {
              setError(null);
              setSaved(next);
            } else {
              setError(result.error.message);
              select.value = role;
            }
          });
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABEL[r]}
          </option>
        ))}
      </select>
      {isSelf && <span className="text-xs text-slate-500">you</span>}
      {saved && !error && (
        <span role="status" className="text-xs text-emerald-700">
          saved: now {ROLE_LABEL[saved].toLowerCase()}
        </span>
      )}
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
