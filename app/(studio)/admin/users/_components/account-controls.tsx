"use client";

// An admin's controls on another account: disable or enable it, and set a new password (for
// someone who lost theirs). lib/users/access.ts says what each does.
import { useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { ActionButton } from "@/components/ui/action-button";
import { setUserDisabledAction, setUserPasswordAction } from "@/lib/users/actions";

export function AccountControls({ userId, email, disabled, isSelf, minPasswordLength }: { userId: string; email: string; disabled: boolean; isSelf: boolean; minPasswordLength: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const button = "rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50";
  // The focus follows the form: into its field when it opens, back to "Set password" when it closes.
  const field = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) field.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {!isSelf &&
        (disabled ? (
          <ActionButton label="Enable" pendingLabel="Enabling…" className={button} action={() => setUserDisabledAction({ userId, disabled: false })} onDone={() => router.refresh()} />
        ) : (
          <ActionButton
            label="Disable"
            pendingLabel="Disabling…"
            className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-800 hover:bg-red-50"
            confirm={`Disable ${email}? They are signed out at once and cannot sign in; the API tokens they made stop working. Their labels and work stay.`}
            action={() => setUserDisabledAction({ userId, disabled: true })}
            onDone={() => router.refresh()}
          />
        ))}
      {!open ? (
        <button ref={opener} type="button" className={button} onClick={() => setOpen(true)}>
          Set password
        </button>
      ) : (
        <form
          className="flex items-center gap-1"
          onSubmit={(event) => {
            event.preventDefault();
            startTransition(async () => {
              const result = await setUserPasswordAction({ userId, password });
              if (result.ok) {
                setPassword("");
                setOpen(false);
                setMessage({ ok: true, text: "password set; their sessions ended" });
              } else setMessage({ ok: false, text: result.error.message });
            });
          }}
        >
          <input
            ref={field}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            minLength={minPasswordLength}
            required
            aria-label={`New password for ${email}`}
            placeholder={`${minPasswordLength}+ characters`}
            className="w-40 rounded border border-slate-300 px-2 py-0.5 text-xs"
          />
          <button type="submit" disabled={pending} className={`${button} disabled:opacity-60`}>
            {pending ? "Setting…" : "Set"}
          </button>
          <button type="button" className="px-1 text-xs text-slate-500" onClick={() => setOpen(false)}>
            cancel
          </button>
        </form>
      )}
      {message && (
        <span role={message.ok ? "status" : "alert"} className={`text-xs ${message.ok ? "text-emerald-700" : "text-red-700"}`}>
          {message.text}
        </span>
      )}
    </div>
  );
}
