import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/session";
import { auditFacets, listAuditEvents, ZAuditFilters, type TAuditFilters } from "@/lib/audit/queries";
import { listUsers } from "@/lib/users/queries";
import { formatWhen } from "@/components/ui/format";
import { ListTable } from "@/components/ui/list-table";

export const metadata: Metadata = { title: "Audit log" };

// The pages an event's object opens, where it has one.
const OBJECT_PAGE: Record<string, (id: string) => string> = {
  dataset: (id) => `/datasets/${id}`,
  judge: (id) => `/judges/${id}`,
  judge_run: (id) => `/runs/${id}`,
  export: (id) => `/exports/${id}`,
  review_queue: (id) => `/review/${id}`,
};

const params = (f: TAuditFilters) => new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)]));

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole("admin");
  const raw = await searchParams;
  const filters = ZAuditFilters.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [{ rows, older }, facets, users] = await Promise.all([listAuditEvents(filters), auditFacets(), listUsers()]);
  const filtered = Boolean(filters.action || filters.entity || filters.entityId || filters.actor);
  const select = "mt-1 block rounded border border-slate-300 bg-white px-2 py-1.5";
  return (
    <main className="max-w-6xl">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <p className="mt-1 text-slate-600">
        Who changed what, newest first: labels and adjudications, imports and exports, runs, judges, queues, datasets, users and tokens. Each event
        is written in the same transaction as its change.
      </p>
      <form method="get" className="mt-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200" aria-label="Filter the log">
        {/* Typed, with the newest events' actions and objects as suggestions (lib/audit/queries.ts auditFacets). */}
        <label>
          <span className="text-xs font-medium text-slate-500">Action</span>
          <input name="action" list="audit-actions" defaultValue={filters.action ?? ""} placeholder="any" className={`${select} w-44`} />
        </label>
        <label>
          <span className="text-xs font-medium text-slate-500">Object</span>
          <input name="entity" list="audit-entities" defaultValue={filters.entity ?? ""} placeholder="any" className={`${select} w-36`} />
        </label>
        <datalist id="audit-actions">{facets.actions.map((a) => <option key={a} value={a} />)}</datalist>
        <datalist id="audit-entities">{facets.entities.map((e) => <option key={e} value={e} />)}</datalist>
        <label>
          <span className="text-xs font-medium text-slate-500">Object id</span>
          <input name="entityId" defaultValue={filters.entityId ?? ""} className={`${select} w-28`} />
        </label>
        <label>
          <span className="text-xs font-medium text-slate-500">By</span>
          <select name="actor" defaultValue={filters.actor ?? ""} className={select}>
            <option value="">anyone</option>
            {users.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.email})</option>)}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-600">
          Show
        </button>
        {filtered && (
          <Link href="/admin/audit" className="pb-1.5 text-blue-700 hover:underline">
            Clear
          </Link>
        )}
      </form>
      {rows.length === 0 ? (
        <p className="mt-6 text-slate-600" data-testid="audit-empty">
          {filters.before ? "No older events." : filtered ? "No event matches these filters." : "No event yet."}
        </p>
      ) : (
        <ListTable className="mt-4 text-sm" data-testid="audit-table"
          head={
            <>
              <th className="px-3 py-2 font-medium">When (UTC)</th>
              <th className="px-3 py-2 font-medium">By</th>
              <th className="px-3 py-2 font-medium">Action</th>
              <th className="px-3 py-2 font-medium">Object</th>
              <th className="px-3 py-2 font-medium">Details</th>
            </>
          }
        >
          {rows.map((e) => {
            const details = JSON.stringify(e.data);
            const page = OBJECT_PAGE[e.entity];
            return (
              <tr key={e.id} data-audit-action={e.action} className="align-top">
                <td className="px-3 py-2 whitespace-nowrap tabular-nums">{formatWhen(e.createdAt)}</td>
                <td className="px-3 py-2">{e.actor ? <span title={e.actor.email}>{e.actor.name}</span> : <span className="text-slate-500">the studio</span>}</td>
                <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {page ? (
                    <Link href={page(e.entityId)} className="text-blue-700 hover:underline">
                      {e.entity} {e.entityId}
                    </Link>
                  ) : (
                    `${e.entity} ${e.entityId}`
                  )}
                </td>
                <td className="max-w-md px-3 py-2">
                  {details !== "{}" && (
                    <code className="block font-mono text-xs break-all text-slate-600" title={details.length > 300 ? details.slice(0, 2000) : undefined}>
                      {details.length > 300 ? `${details.slice(0, 300)}…` : details}
                    </code>
                  )}
                </td>
              </tr>
            );
          })}
        </ListTable>
      )}
      <div className="mt-4 flex gap-4">
        {filters.before && (
          <Link href={`/admin/audit?${params({ ...filters, before: undefined })}`} className="text-blue-700 hover:underline">
            ← Newest
          </Link>
        )}
        {older && (
          <Link href={`/admin/audit?${params({ ...filters, before: older })}`} className="text-blue-700 hover:underline" data-testid="audit-older">
            Older →
          </Link>
        )}
      </div>
    </main>
  );
}
