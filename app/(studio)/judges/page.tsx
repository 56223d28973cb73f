import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { listJudges, type TJudgeSummary } from "@/lib/judges/queries";
import { RunStatusBadge } from "@/components/ui/badges";
import { formatInt } from "@/components/ui/format";
import { ListTable } from "@/components/ui/list-table";

export const metadata: Metadata = { title: "Judges" };

const KIND: Record<string, string> = { openai_compatible: "Endpoint", rule_based: "Rule", external: "Imported" };

export default async function JudgesPage() {
  const user = await requirePageRole("viewer");
  const judges = await listJudges();
  const inUse = judges.filter((j) => j.archivedAt === null);
  const archived = judges.filter((j) => j.archivedAt !== null);
  return (
    <main>
      <div className="flex items-baseline gap-4">
        <h1 className="text-xl font-semibold">Judges</h1>
        <p className="text-slate-600">Models behind inference endpoints, in-process rules, and judges whose judgments were imported.</p>
        {hasRole(user.role, "researcher") && (
          <Link href="/judges/new" className="ml-auto rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
            New judge
          </Link>
        )}
      </div>
      {judges.length === 0 ? (
        <div className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
          <p className="font-medium text-slate-800">No judges yet.</p>
          <p className="mt-1">{hasRole(user.role, "researcher") ? "Add one: an OpenAI-compatible endpoint (vLLM, SGLang, TGI, llama.cpp, OpenAI) or a rule." : "A researcher adds judges."}</p>
        </div>
      ) : (
        <>
          {inUse.length > 0 ? (
            <JudgesTable judges={inUse} testId="judges-table" />
          ) : (
            <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">Every judge is archived. Restore one on its page, or add a new one.</p>
          )}
          {archived.length > 0 && (
            <details className="mt-8" data-testid="archived-judges">
              <summary className="cursor-pointer font-medium text-slate-700">Archived judges ({archived.length})</summary>
              <p className="mt-1 text-sm text-slate-600">
                Out of use: not offered for runs, tokens or exports, and their judgments are left out of the judgments list and analytics. Their judgments are kept; restoring a judge on its page brings them back.
              </p>
              <JudgesTable judges={archived} testId="archived-judges-table" />
            </details>
          )}
        </>
      )}
    </main>
  );
}

function JudgesTable({ judges, testId }: { judges: TJudgeSummary[]; testId: string }) {
  return (
    <ListTable className="mt-4" data-testid={testId}
      head={
        <>
          <th className="px-4 py-2 font-medium">Judge</th>
          <th className="px-4 py-2 font-medium">Kind</th>
          <th className="px-4 py-2 font-medium">Model or rule</th>
          <th className="px-4 py-2 font-medium">Template version</th>
          <th className="px-4 py-2 font-medium">API key</th>
          <th className="px-4 py-2 text-right font-medium" title="Judgments made by this judge's runs, imports and reward requests: a response judged again, or sampled several times, counts each time">
            Judgments
          </th>
          <th className="px-4 py-2 font-medium">Last run</th>
        </>
      }
    >
      {judges.map((j) => (
        <tr key={j.id} data-judge={j.name}>
          <td className="px-4 py-3">
            <Link href={`/judges/${j.id}`} className="font-medium text-blue-700 hover:underline">
              {j.name}
            </Link>
            {j.sizeLabel && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{j.sizeLabel}</span>}
            {j.description && <p className="mt-0.5 max-w-md text-xs text-slate-500">{j.description}</p>}
          </td>
          <td className="px-4 py-3">{KIND[j.kind]}</td>
          <td className="px-4 py-3">
            {j.endpoint ? (
              <>
                <span className="font-mono text-xs">{j.endpoint.model}</span>
                <span className="block font-mono text-xs text-slate-500">{j.endpoint.baseUrl}</span>
              </>
            ) : (
              (j.rule ?? "—")
            )}
          </td>
          <td className="px-4 py-3 font-mono text-xs">{j.templateVersion || "—"}</td>
          <td className="px-4 py-3 text-xs">
            {j.endpoint ? (j.endpoint.apiKey === "stored" ? "stored, encrypted" : j.endpoint.apiKey === "env" ? <span className="font-mono">${j.endpoint.apiKeyEnv}</span> : "none") : "—"}
          </td>
          <td className="px-4 py-3 text-right tabular-nums">{formatInt(j.judged)}</td>
          <td className="px-4 py-3">
            {j.lastRun ? (
              <Link href={`/runs/${j.lastRun.id}`} className="hover:underline">
                {j.lastRun.source === "import" ? <span className="text-xs text-slate-600">imported</span> : <RunStatusBadge status={j.lastRun.status} failed={j.lastRun.failed} />}
              </Link>
            ) : (
              "—"
            )}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}
