"use client";
// What a studio page shows when the server fails while making it (its header and navigation
// stay): the cause stays in the server's log, where the reference finds it; the visitor can try
// again without losing their place. Failures the studio expects (no access, not found, the
// database out of reach) have pages of their own and never come here.
import Link from "next/link";

export default function StudioError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center" role="alert">
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Error</p>
      <h1 className="mt-2 text-2xl font-semibold">This page could not be shown</h1>
      <p className="mt-3 text-slate-600">
        The server ran into a problem while preparing it. Nothing you saved was lost. If the database was restarting, trying again in a moment
        usually works.
      </p>
      {error.digest && (
        <p className="mt-3 text-sm text-slate-500">
          Reference <code className="rounded bg-slate-100 px-1">{error.digest}</code> (the server&apos;s log has the details)
        </p>
      )}
      <div className="mt-6 flex items-center justify-center gap-4">
        <button type="button" onClick={() => retry()} className="rounded bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800">
          Try again
        </button>
        <Link href="/datasets" className="text-blue-700 underline">
          Back to datasets
        </Link>
      </div>
    </main>
  );
}
