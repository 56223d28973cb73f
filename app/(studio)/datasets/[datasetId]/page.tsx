import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageRole } from "@/lib/auth/session";
import { listDatasets, listQuestions, type TTextStart } from "@/lib/datasets/queries";
import { hasRole } from "@/lib/auth/roles";
import { judgeName } from "@/lib/judges/name";
import { LabelBadge } from "@/components/ui/badges";
import { formatInt, formatScore, formatWhen } from "@/components/ui/format";
import { rewardRequestsOf } from "@/lib/reward/queries";
import { ListTable } from "@/components/ui/list-table";
import { ZRowIdParam } from "@/lib/db/values";
import { judgmentFiltersToParams } from "@/lib/judgments/filters";
import { DeleteDataset } from "../_components/delete-dataset";
import { RefreshWhile } from "@/components/ui/refresh-while";
import { EditDataset } from "../_components/edit-dataset";

export const metadata: Metadata = { title: "Dataset" };

const ZParams = z.object({ datasetId: ZRowIdParam });
const ZSearch = z.object({ after: ZRowIdParam.optional() });

export default async function DatasetPage({
  params,
  searchParams,
}: {
  params: Promise<{ datasetId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageRole("viewer");
  const parsed = ZParams.safeParse(await params);
  if (!parsed.success) notFound();
  const [dataset] = await listDatasets({ id: parsed.data.datasetId });
  if (!dataset) notFound();
  const deleting = dataset.deletingAt !== null;
  const canWork = hasRole(user.role, "researcher") && !deleting;
  const { after } = ZSearch.catch({}).parse(await searchParams);
  const [{ questions, nextCursor }, training] = await Promise.all([listQuestions(dataset.id, { after }), after ? null : rewardRequestsOf(dataset.id)]);

  return (
    <main>
      <nav className="text-xs text-slate-500" aria-label="Breadcrumb">
        <Link href="/datasets" className="hover:underline">
          Datasets
        </Link>{" "}
        / {dataset.name}
      </nav>
      <div className="mt-1 flex flex-wrap items-baseline gap-x-4">
        <h1 className="text-xl font-semibold">{dataset.name}</h1>
        {!deleting && (
          <>
            <Link href={`/judgments?dataset=${dataset.id}`} className="text-blue-700 hover:underline">
              Judgments
            </Link>
            <Link href={`/analytics?dataset=${dataset.id}`} className="text-blue-700 hover:underline">
              Analytics
            </Link>
          </>
        )}
        {canWork && <EditDataset key={`${dataset.name}\n${dataset.description}`} id={dataset.id} name={dataset.name} description={dataset.description} />}
      </div>
      {dataset.description && <p className="mt-1 max-w-3xl text-slate-600">{dataset.description}</p>}
      {deleting && (
        <p role="status" className="mt-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="dataset-deleting">
          Being deleted since {formatWhen(dataset.deletingAt!)}: what is left is counted below, and it takes no new work.
          <RefreshWhile active />
        </p>
      )}
      <dl className="mt-4 flex flex-wrap gap-x-8 gap-y-2 text-sm" data-testid="dataset-counts">
        <div>
          <dt className="text-xs text-slate-500 uppercase">Questions</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatInt(dataset.questions)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 uppercase">Responses</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatInt(dataset.responses)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 uppercase">With expert label</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatInt(dataset.labeled)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 uppercase">Judges</dt>
          <dd className="mt-1">{dataset.judges.map(judgeName).join(", ") || "none yet"}</dd>
        </div>
      </dl>
      {canWork && (
        <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="dataset-actions">
          <Link href={`/imports/new?dataset=${encodeURIComponent(dataset.name)}`} className="text-blue-700 hover:underline">
            Import into this dataset
          </Link>
          <Link href={`/runs/new?dataset=${dataset.id}`} className="text-blue-700 hover:underline">
            Run a judge
          </Link>
          <Link href={`/exports?dataset=${dataset.id}`} className="text-blue-700 hover:underline">
            Export
          </Link>
        </p>
      )}

      {training && (
        <section className="mt-6" aria-labelledby="training-heading" data-testid="reward-requests">
          <h2 id="training-heading" className="font-semibold">
            Reward requests
          </h2>
          <p className="text-sm text-slate-600">
            {training.requests.toLocaleString("en")} requests from the trainer, {training.items.toLocaleString("en")} responses judged
            {training.rows.length < training.requests ? `; the newest ${training.rows.length} below` : ""}.
          </p>
          <ListTable className="mt-2 text-sm" bodyClassName="tabular-nums"
            head={
              <>
                <th className="px-3 py-1.5 font-medium">Request</th>
                <th className="px-3 py-1.5 font-medium">Step</th>
                <th className="px-3 py-1.5 text-right font-medium">Responses</th>
                <th className="px-3 py-1.5 text-right font-medium">Mean reward</th>
                <th className="px-3 py-1.5 font-medium">Judge</th>
                <th className="px-3 py-1.5 text-right font-medium">Judging time</th>
                <th className="px-3 py-1.5 font-medium">At</th>
              </>
            }
          >
            {training.rows.map((r) => (
              <tr key={r.id}>
                <td className="px-3 py-1.5">#{r.number}</td>
                <td className="px-3 py-1.5" title="the training step the trainer sent with the request">
                  {r.step ?? "—"}
                </td>
                <td className="px-3 py-1.5 text-right">{r.size.toLocaleString("en")}</td>
                <td className="px-3 py-1.5 text-right">{formatScore(r.meanReward)}</td>
                <td className="px-3 py-1.5">
                  {r.judge} <span className="text-xs text-slate-400">{r.templateVersion}</span>
                </td>
                <td className="px-3 py-1.5 text-right">{r.latencyMs.toLocaleString("en")} ms</td>
                <td className="px-3 py-1.5 whitespace-nowrap">{formatWhen(r.createdAt)}</td>
              </tr>
            ))}
          </ListTable>
        </section>
      )}

      {questions.length === 0 ? (
        <p className="mt-8 text-slate-600">{after ? "No more questions." : "This dataset has no questions yet."}</p>
      ) : (
        <ol className="mt-6 space-y-4">
          {questions.map((q) => (
            <li key={q.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <div className="flex items-start gap-3">
                <span className="text-xs text-slate-400 tabular-nums">Q{q.id}</span>
                <div className="min-w-0 flex-1">
                  {(q.subject || q.externalId) && (
                    <p className="mb-1 flex gap-2 text-xs text-slate-500">
                      {q.subject && (
                        <Link
                          href={`/judgments?${judgmentFiltersToParams({ dataset: dataset.id, subject: q.subject })}`}
                          title="this subject's responses in the judgments list"
                          className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-600 hover:bg-slate-200 hover:text-blue-700"
                        >
                          {q.subject}
                        </Link>
                      )}
                      {q.externalId && <span title="the question's id in the imported file">id {q.externalId}</span>}
                    </p>
                  )}
                  <p className="font-medium whitespace-pre-wrap">
                    <TextStart text={q.text} />
                  </p>
                  <p className="mt-1 text-slate-700">
                    <span className="text-xs font-semibold text-slate-500 uppercase">Reference</span>{" "}
                    <span className="whitespace-pre-wrap">
                      <TextStart text={q.reference} />
                    </span>
                  </p>
                  {q.responses.length > 0 && (
                    <ul className="mt-3 divide-y divide-slate-100 border-t border-slate-100">
                      {q.responses.map((r) => (
                        <li key={r.id} className="flex items-start gap-3 py-1.5">
                          <span className="w-8 shrink-0 text-xs text-slate-400 tabular-nums">#{r.sampleIndex}</span>
                          <Link
                            href={`/judgments?dataset=${dataset.id}&item=${r.id}`}
                            className="min-w-0 flex-1 whitespace-pre-wrap text-slate-800 hover:text-blue-700"
                          >
                            <TextStart text={r.text} />
                          </Link>
                          {r.policyModel && <span className="text-xs text-slate-500">{r.policyModel}</span>}
                          <LabelBadge label={r.goldLabel} />
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
      <div className="mt-6 flex gap-4">
        {after && (
          <Link href={`/datasets/${dataset.id}`} className="text-blue-700 hover:underline">
            ← First page
          </Link>
        )}
        {nextCursor && (
          <Link href={`/datasets/${dataset.id}?after=${nextCursor}`} className="text-blue-700 hover:underline">
            Next page →
          </Link>
        )}
      </div>
      {hasRole(user.role, "admin") && !deleting && (
        <DeleteDataset
          id={dataset.id}
          name={dataset.name}
          summary={`its ${formatInt(dataset.questions)} questions and ${formatInt(dataset.responses)} responses`}
        />
      )}
    </main>
  );
}

/** A text's first characters, and how many more there are (the whole is in the judgments list). */
function TextStart({ text }: { text: TTextStart }) {
  if (text.more === 0) return text.start;
  return (
    <>
      {text.start}
      <span className="text-slate-400">… </span>
      <span className="text-xs whitespace-nowrap text-slate-500" data-testid="text-cut">
        {formatInt(text.more)} more {text.more === 1 ? "character" : "characters"}
      </span>
    </>
  );
}
