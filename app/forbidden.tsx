import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">403</p>
      <h1 className="mt-2 text-2xl font-semibold">You do not have access to this page</h1>
      <p className="mt-3 text-slate-600">
        Your role does not allow it, or, for a review queue&apos;s labelling page, you are not one of the experts it was made for. Ask an
        admin if you need it.
      </p>
      <Link href="/datasets" className="mt-6 inline-block text-blue-700 underline">
        Back to datasets
      </Link>
    </main>
  );
}
