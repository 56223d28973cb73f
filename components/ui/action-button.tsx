"use client";

import { useState, useTransition } from "react";
import type { TActionResult } from "@/lib/http/action";

type TProps<T> = {
  label: string;
  pendingLabel: string;
  /** the button's look; "disabled while pending" is added */
  className: string;
  /** on the span around the button and its error */
  wrapperClassName?: string;
  title?: string;
  /** asked first in the browser's dialog: the action is sent only on OK */
  confirm?: string;
  action: () => Promise<TActionResult<T>>;
  onDone?: (data: T) => void | Promise<void>;
  /** after the action, whatever its outcome (to refresh what it may have changed) */
  onSettled?: () => void | Promise<void>;
};

/** A button that sends one server action, says so while it runs, and shows the action's error beside it. */
export function ActionButton<T>({ label, pendingLabel, className, wrapperClassName, title, confirm, action, onDone, onSettled }: TProps<T>) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className={wrapperClassName}>
      <button
        type="button"
        disabled={pending}
        title={title}
        className={`${className} disabled:opacity-60`}
        onClick={() => {
          if (confirm !== undefined && !window.confirm(confirm)) return;
          setError(null);
          startTransition(async () => {
            const result = await action();
            if (result.ok) await onDone?.(result.data);
            else setError(result.error.message);
            await onSettled?.();
          });
        }}
      >
        {pending ? pendingLabel : label}
      </button>
      {error && (
        <span role="alert" className="ml-2 text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
