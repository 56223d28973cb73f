import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { getQueue } from "@/lib/review/queries";
import { describeSource } from "@/lib/review/source";
import { mayDeleteQueue } from "@/lib/review/delete";
import { mayManageQueue } from "@/lib/review/members";
import { labelers } from "@/lib/review/queries";
import { AddMember, RemoveMember } from "../_components/queue-members";
import { DeleteQueue } from "../_components/delete-queue";
import { formatInt, formatPercent, formatScore, formatWhen } from "@/components/ui/format";
import { ProgressBar } from "../_components/progress-bar";
import { rowIdOf } from "@/lib/db/values";
import { judgeName } from "@/lib/judges/name";

export const metadata: Metadata = { title: "Review queue" };

export default async function QueuePage({ params }: { params: Promise<{ queueId: string }> }) {
  const user = await requirePageRole("viewer");
  const queueId = rowIdOf((await params).queueId);
  if (queueId === null) notFound();
  const queue = await getQueue(queueId, user.id);
  if (!queue) notFound();
  const judges = await db().judge.findMany({ select: { id: true, name: true, sizeLabel: true } });
  const judgeById = (id: number) => {
    const j = judges.find((x) => x.id === id);
    return j ? judgeName(j) : `judge ${id}`;
  };
  const total = queue.itemCount * queue.overlap;
  const canManage = hasRole(user.role, "researcher") && mayManageQueue(queue.createdById, user);
  const candidates = canManage ? (await labelers()).filter((u) => !queue.members.some((m) => m.userId === u.id)) : [];
  return (
    <main className="space-y-6">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-2">
        <h1 className="text-xl font-semibold">{queue.name}</h1>
        <span className="text-slate-600">{queue.dataset.name}</span>
        <span className="ml-auto flex items-baseline gap-3">
          {hasRole(user.role, "researcher") && mayDeleteQueue(queue.createdById, user) && (
            <DeleteQueue id={queue.id} name={queue.name} items={formatInt(queue.itemCount)} />
          )}
          {queue.isMember && hasRole(user.role, "expert") && (
            <Link href={`/review/${queue.id}/label`} className="rounded-md bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-600">
              Start labeling
            </Link>
          )}
        </span>
      </div>
      {queue.description && <p className="max-w-3xl whitespace-pre-wrap text-slate-700">{queue.description}</p>}
      <dl className="grid max-w-4xl grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
        <Fact label="Items">{formatInt(queue.itemCount)}</Fact>
        <Fact label="Overlap">{queue.overlap} {queue.overlap === 1 ? "expert" : "experts"} per item</Fact>
        <Fact label="Mode">{queue.blind ? "blind: judges hidden until labeled" : "open: judges shown"}</Fact>
        <Fact label="Created">
          {formatWhen(queue.createdAt)} UTC by {queue.createdBy?.name ?? "—"}
        </Fact>
        <div className="col-span-full">
          <dt className="text-slate-500">Items chosen by</dt>
          <dd data-testid="queue-source">{describeSource(queue.source, judgeById)}</dd>
        </div>
      </dl>

      <section className="max-w-4xl space-y-2">
        <h2 className="font-semibold">Progress</h2>
        <p className="text-sm text-slate-600" data-testid="queue-progress">
          {formatInt(queue.itemsComplete)} of {formatInt(queue.itemCount)} items labeled by {queue.overlap} {queue.overlap === 1 ? "expert" : "experts"} ·{" "}
          {formatInt(queue.labelsDone)} of {formatInt(total)} labels
        </p>
        <ProgressBar done={queue.labelsDone} total={total} />
        <table className="mt-3 w-full text-left text-sm" data-testid="member-progress">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-1 font-medium">Expert</th>
              <th className="py-1 font-medium">Labeled</th>
              <th className="py-1 font-medium">Skipped</th>
              <th className="py-1 font-medium">Holding now</th>
              {canManage && <th className="py-1" />}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {queue.members.map((m) => (
              <tr key={m.userId}>
                <td className="py-1">{m.name}</td>
                <td className="py-1 tabular-nums">{formatInt(m.done)}</td>
                <td className="py-1 tabular-nums">{formatInt(m.skipped)}</td>
                <td className="py-1 tabular-nums">{formatInt(m.holding)}</td>
                {canManage && (
                  <td className="py-1 text-right">
                    {/* made afresh when the members change: a refusal ("add another expert first") no longer stands */}
                    <RemoveMember key={queue.members.length} queueId={queue.id} userId={m.userId} name={m.name} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {canManage && <AddMember queueId={queue.id} candidates={candidates.map((c) => ({ id: c.id, name: c.name, role: c.role }))} />}
      </section>

      <section className="max-w-4xl space-y-2">
        <h2 className="font-semibold">Agreement between experts</h2>
        <p className="text-sm text-slate-600">Items of this queue that both experts labeled correct or incorrect (unsure left out).</p>
        {queue.pairs.length === 0 ? (
          <p className="text-sm text-slate-500">No item has labels from two experts of this queue yet.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="expert-agreement">
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th className="py-1 font-medium">Experts</th>
                <th className="py-1 font-medium">Items</th>
                <th className="py-1 font-medium">Agreement</th>
                <th className="py-1 font-medium">Cohen&apos;s κ</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {queue.pairs.map((p) => (
                <tr key={`${p.a}:${p.b}`}>
                  <td className="py-1">
                    {p.a} · {p.b}
                  </td>
                  <td className="py-1 tabular-nums">{formatInt(p.n)}</td>
                  <td className="py-1 tabular-nums">{formatPercent(p.observed)}</td>
                  <td className="py-1 tabular-nums">{formatScore(p.kappa)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
