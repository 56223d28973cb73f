import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { listImportJobs } from "@/lib/io/queries";
import { JobsTable } from "./_components/jobs-table";

export const metadata: Metadata = { title: "Imports" };

export default async function ImportsPage() {
  await requirePageRole("researcher");
  const jobs = await listImportJobs();
  return (
    <main>
      <div className="flex items-baseline gap-4">
        <h1 className="text-xl font-semibold">Imports</h1>
        <Link href="/imports/new" className="rounded bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800">New import</Link>
      </div>
      <p className="mt-1 max-w-3xl text-slate-600">
        Imports from this page, the REST API and the command line. Each one is a single transaction: a failed or interrupted import
        wrote nothing. Re-importing a file adds nothing new.
      </p>
      <JobsTable initial={jobs} />
    </main>
  );
}
