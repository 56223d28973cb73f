import type { ReactNode } from "react";
import Link from "next/link";

export function NoDatasets({ title }: { title: string }) {
  return (
    <main>
      <h1 className="text-xl font-semibold">{title}</h1>
      <div className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
        <p className="font-medium text-slate-800">No datasets yet.</p>
        <p className="mt-1">
          Import one (see <Link href="/datasets" className="text-blue-700 hover:underline">Datasets</Link>) and its analytics appear here.
        </p>
      </div>
    </main>
  );
}

/** A view with nothing to show for this dataset yet, and why. */
export function EmptyView({ children }: { children: ReactNode }) {
  return <div className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">{children}</div>;
}
