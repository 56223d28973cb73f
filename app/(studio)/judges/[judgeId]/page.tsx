import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { getJudge, listTemplates } from "@/lib/judges/queries";
import { listDatasetNames } from "@/lib/datasets/queries";
import { preferredDataset } from "@/lib/datasets/preferred";
import { listRuns } from "@/lib/runs/queries";
import { RunStatusBadge } from "@/components/ui/badges";
import { formatInt, formatWhen } from "@/components/ui/format";
import { Section } from "../_components/field";
import { JudgeForm } from "../_components/judge-form";
import { TemplatePanel } from "../_components/template-panel";
import { TestPanel } from "../_components/test-panel";
import { ArchiveControl } from "../_components/archive-control";
import { rowIdOf } from "@/lib/db/values";
import { settingLabel } from "@/lib/judges/setting-labels";

export const metadata: Metadata = { title: "Judge" };

const KIND: Record<string, string> = { openai_compatible: "Inference endpoint", rule_based: "Rule, run in-process", external: "Imported judgments" };

export default async function JudgePage({ params }: { params: Promise<{ judgeId: string }> }) {
  const user = await requirePageRole("viewer");
  const id = rowIdOf((await params).judgeId);
  if (id === null) notFound();
  const judge = await getJudge(id);
  if (!judge) notFound();
  const [templates, names, runs] = await Promise.all([listTemplates(), listDatasetNames(), listRuns({ judgeId: id, limit: 5 })]);
  // The test and preview panels start on the first dataset listed: the one last looked at.
  const preferred = await preferredDataset(names);
  const datasets = preferred ? [preferred, ...names.filter((d) => d.id !== preferred.id)] : names;
  const canEdit = hasRole(user.role, "researcher");
  const archived = judge.archivedAt !== null;
  const canRun = hasRole(user.role, "researcher") && judge.kind !== "external" && !archived;
  const template = templates.find((t) => t.version === judge.templateVersion);
  const settings = judge.endpointSettings ?? judge.ruleSettings;

  return (
    <main className="max-w-5xl">
      <Link href="/judges" className="text-sm text-blue-700 hover:underline">
        ← Judges
      </Link>
      <div className="mt-2 flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{judge.name}</h1>
        {judge.sizeLabel && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-sm text-slate-600">{judge.sizeLabel}</span>}
        <span className="text-slate-600">{KIND[judge.kind]}</span>
        {canRun && (
          <Link href={`/runs/new?judge=${judge.id}`} className="ml-auto rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
            Run this judge
          </Link>
        )}
      </div>
      {judge.description && <p className="mt-1 text-slate-600">{judge.description}</p>}
      {archived && (
        <div className="mt-4 flex flex-wrap items-center gap-3 rounded-md bg-amber-50 px-4 py-3 text-amber-900" data-testid="judge-archived">
          <p className="flex-1">
            Archived {formatWhen(judge.archivedAt!)}. It cannot be run or asked for rewards, and its judgments are kept but left out of the judgments list, analytics and
            exports until it is restored.
          </p>
          {canEdit && <ArchiveControl judgeId={judge.id} archived />}
        </div>
      )}
      {judge.settingsProblem && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-4 py-3 text-red-800" data-testid="settings-problem">
          This judge&apos;s settings were saved before rules they break, and it cannot run until they are changed: {judge.settingsProblem}.
        </p>
      )}
      {judge.kind === "external" && (
        <p className="mt-4 rounded-md bg-slate-100 px-4 py-3 text-slate-700">This judge&apos;s judgments were imported; it cannot be run from the studio.</p>
      )}

      {canRun && (
        <Section title="Test judge">
          <p className="mb-3 text-sm text-slate-600">Sends one real item, once, without retries, and shows what came back.</p>
          <TestPanel judgeId={judge.id} datasets={datasets} />
        </Section>
      )}

      {judge.kind === "openai_compatible" && template && (
        <Section title="Prompt template">
          <TemplatePanel
            judgeId={judge.id}
            judgeName={judge.name}
            current={{ ...template, note: template.note }}
            versions={templates.map((t) => t.version)}
            datasets={datasets}
            canEdit={canEdit}
          />
        </Section>
      )}

      {judge.kind !== "external" && (
        <Section title="Settings">
          {canEdit ? (
            <JudgeForm
              initial={{
                id: judge.id,
                kind: judge.kind,
                name: judge.name,
                sizeLabel: judge.sizeLabel,
                description: judge.description,
                templateVersion: judge.templateVersion,
                endpoint: judge.endpointSettings ?? judge.endpointDraft,
                rule: judge.ruleSettings,
                hasStoredKey: judge.hasStoredKey,
                updatedAt: judge.updatedAt.toISOString(),
              }}
              templateVersions={templates.map((t) => t.version)}
            />
          ) : (
            <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-3" data-testid="judge-settings">
              {settings &&
                Object.entries(settings).map(([k, v]) => (
                  <div key={k}>
                    <dt className="text-xs text-slate-500" title={k}>
                      {settingLabel(k)}
                    </dt>
                    <dd className="font-mono text-xs break-all">{typeof v === "object" ? JSON.stringify(v) : String(v)}</dd>
                  </div>
                ))}
              {judge.kind === "openai_compatible" && (
                <div>
                  <dt className="text-xs text-slate-500">API key</dt>
                  <dd className="text-xs">{judge.endpointSettings?.apiKeyEnv
                      ? `from $${judge.endpointSettings.apiKeyEnv}`
                      : judge.hasStoredKey
                        ? "stored, encrypted"
                        : judge.settingsProblem
                          ? "unknown until the settings are changed"
                          : "none"}</dd>
                </div>
              )}
            </dl>
          )}
        </Section>
      )}

      <Section
        title="Recent runs"
        actions={
          <Link href={`/runs?judge=${judge.id}`} className="text-sm text-blue-700 hover:underline">
            All runs of this judge
          </Link>
        }
      >
        {runs.runs.length === 0 ? (
          <p className="text-slate-600">No runs yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {runs.runs.map((r) => (
              <li key={r.id} className="flex items-center gap-3 py-2 text-sm">
                <Link href={`/runs/${r.id}`} className="font-medium text-blue-700 hover:underline">
                  Run {r.id}
                </Link>
                <RunStatusBadge status={r.status} failed={r.failed} />
                <span>{r.dataset.name}</span>
                <span className="text-slate-500 tabular-nums">
                  {formatInt(r.done)} / {formatInt(r.total)} judged
                </span>
                <span className="ml-auto text-slate-500">{formatWhen(r.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      {canEdit && !archived && (
        <Section title="Archive">
          <div className="flex flex-wrap items-center gap-3" data-testid="archive-section">
            <p className="flex-1 text-sm text-slate-600">
              A judge no longer in use (a test, an endpoint replaced by another) can be archived: it leaves the pickers, the judgments list&apos;s columns, analytics and
              exports, and cannot be run. Its judgments are kept, and restoring it brings them back. While one of its runs is under way it cannot be archived: cancel the run or let it finish.
            </p>
            <ArchiveControl judgeId={judge.id} archived={false} busyRun={runs.runs.find((r) => ["queued", "running", "paused"].includes(r.status)) ?? null} />
          </div>
        </Section>
      )}
    </main>
  );
}
