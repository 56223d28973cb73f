// Shown at once when a view is opened while its figures are computed on the server: a first
// computation over a million responses takes seconds (docs/benchmarks.md), and a click that seems
// to do nothing for that long reads as broken.
export default function AnalyticsLoading() {
  return (
    <main className="space-y-6" aria-busy="true">
      <div>
        <div className="h-7 w-48 animate-pulse rounded bg-slate-200" />
        <p role="status" className="mt-2 text-sm text-slate-600">
          Computing the figures… A first computation over a large dataset takes a few seconds; after that they are kept and shown at once.
        </p>
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-20 animate-pulse rounded-lg bg-white shadow-sm ring-1 ring-slate-200" />
        ))}
      </div>
      <div className="h-64 animate-pulse rounded-lg bg-white shadow-sm ring-1 ring-slate-200" />
    </main>
  );
}
