import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { listTemplates } from "@/lib/judges/queries";
import { ensureBuiltinTemplates } from "@/lib/judges/templates";
import { JudgeForm } from "../_components/judge-form";

export const metadata: Metadata = { title: "New judge" };

export default async function NewJudgePage() {
  await requirePageRole("researcher");
  await ensureBuiltinTemplates(db());
  const templates = await listTemplates();
  return (
    <main className="max-w-4xl">
      <Link href="/judges" className="text-sm text-blue-700 hover:underline">
        ← Judges
      </Link>
      <h1 className="mt-2 text-xl font-semibold">New judge</h1>
      <p className="mt-1 text-slate-600">
        Requests go out with temperature 0 by default and the paper&apos;s verifier template (Appendix A.1, Table 4); P(YES) and P(NO) come from the first token&apos;s top log-probabilities.
      </p>
      <div className="mt-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <JudgeForm
          initial={{ kind: "openai_compatible", name: "", sizeLabel: "", description: "", templateVersion: "paper-v1", endpoint: null, rule: null, hasStoredKey: false }}
          templateVersions={templates.map((t) => t.version)}
        />
      </div>
    </main>
  );
}
