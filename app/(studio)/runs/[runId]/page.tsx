import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getRunProgress } from "@/lib/runs/queries";
import { RunLive } from "../_components/run-live";
import { rowIdOf } from "@/lib/db/values";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const user = await requirePageRole("viewer");
  const id = rowIdOf((await params).runId);
  if (id === null) notFound();
  const progress = await getRunProgress(id);
  if (!progress) notFound();
  return (
    <main className="max-w-6xl">
      <Link href="/runs" className="text-sm text-blue-700 hover:underline">
        ← Runs
      </Link>
      <h1 className="mt-2 text-xl font-semibold">Run {progress.id}</h1>
      <div className="mt-2">
        <RunLive initial={progress} canControl={hasRole(user.role, "researcher")} />
      </div>
    </main>
  );
}
