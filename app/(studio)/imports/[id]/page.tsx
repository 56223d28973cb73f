import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatWhen } from "@/components/ui/format";
import { requirePageRole } from "@/lib/auth/session";
import { getImportJob } from "@/lib/io/queries";
import { JobProgress } from "../_components/job-progress";
import { ZRowIdParam } from "@/lib/db/values";

export const metadata: Metadata = { title: "Import" };

export default async function ImportJobPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageRole("researcher");
  const parsed = ZRowIdParam.safeParse((await params).id);
  if (!parsed.success) notFound();
  const job = await getImportJob(parsed.data);
  if (!job) notFound();
  const mapping = Object.entries(job.mapping as Record<string, string>);
  return (
    <main>
      <nav className="text-xs text-slate-500" aria-label="Breadcrumb">
        <Link href="/imports" className="hover:underline">Imports</Link> / {job.id}
      </nav>
      <h1 className="mt-1 text-xl font-semibold">
        {job.fileName} <span className="font-normal text-slate-500">into</span> {job.datasetName}
      </h1>
      <p className="mt-1 text-slate-600">
        {job.kind} · {job.format || "format being detected"} · {job.strict ? "strict (all or nothing)" : "good lines imported, bad ones reported"} · from {job.source}
        {job.createdBy ? ` by ${job.createdBy.name}` : ""} · {formatWhen(job.createdAt)} UTC
      </p>
      {mapping.length > 0 && (
        <p className="mt-1 text-xs text-slate-500">Mapping: {mapping.map(([f, c]) => `${f}=${c}`).join(", ")}</p>
      )}
      <JobProgress initial={job} mayRerun={job.uploadId !== null && !job.uploadFileDeleted && job.createdById === user.id} />
    </main>
  );
}
