import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Not found</h1>
      <Link href="/datasets" className="mt-6 inline-block text-blue-700 underline">
        Back to datasets
      </Link>
    </main>
  );
}
