import type { Metadata } from "next";
import Link from "next/link";
import { DATABASE_DOWN_MESSAGE } from "@/lib/db/connection";
import { localPath } from "@/lib/http/local-path";

export const metadata: Metadata = { title: "Database out of reach" };

// Where a page goes when the database cannot be reached (lib/auth/session.ts requirePageRole):
// it reads nothing, so it shows while the database is down. Nothing was lost: work in progress
// (imports, exports, judge runs) either committed or is run again.
export default async function Unavailable({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = localPath((await searchParams).next, "/datasets");
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">503</p>
      <h1 className="mt-2 text-2xl font-semibold">Database out of reach</h1>
      <p className="mt-3 text-slate-600">{DATABASE_DOWN_MESSAGE}</p>
      <Link href={next} className="mt-6 inline-block text-blue-700 underline">
        Try again
      </Link>
    </main>
  );
}
