import Link from "next/link";
import type { TJudgeColumn, TJudgmentRow } from "@/lib/judgments/queries";
import { LabelBadge, VerdictBadge } from "@/components/ui/badges";
import { formatScore } from "@/components/ui/format";

/** `cursor`: the page's own parameters (after= or before=), kept in the rows' links. */
type TProps = { rows: TJudgmentRow[]; columns: TJudgeColumn[]; baseParams: string; cursor: string; selected: number | null };

export function JudgmentsTable({ rows, columns, baseParams, cursor, selected }: TProps) {
  if (rows.length === 0) {
    // A page past the end (a cursor kept from before a deletion, or typed) is not "no match".
    return (
      <div className="mt-4 rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600" data-testid="judgments-empty">
        {cursor ? (
          <>
            No response on this page: it is past the last one.{" "}
            <Link href={`/judgments?${baseParams}`} className="text-blue-700 hover:underline">
              Go to the first page
            </Link>
          </>
        ) : (
          "No response matches these filters."
        )}
      </div>
    );
  }
  const href = (id: number) => {
    const params = new URLSearchParams(baseParams);
    for (const [key, value] of new URLSearchParams(cursor)) params.set(key, value);
    params.set("item", String(id));
    return `/judgments?${params.toString()}`;
  };
  return (
    <div className="mt-4 overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="w-full text-left" data-testid="judgments-table">
        <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
          <tr>
            <th className="px-3 py-2 font-medium">#</th>
            <th className="px-3 py-2 font-medium">Question</th>
            <th className="px-3 py-2 font-medium">Response (final step)</th>
            {columns.map((c) => (
              <th key={c.id} className="px-3 py-2 font-medium whitespace-nowrap">
                {c.name}
                {c.sizeLabel && <span className="ml-1 font-normal normal-case">({c.sizeLabel})</span>}
                <span className="block font-normal normal-case">verdict · soft reward</span>
              </th>
            ))}
            <th className="px-3 py-2 font-medium">Expert</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} className={row.id === selected ? "bg-blue-50" : "hover:bg-slate-50"} data-response-id={row.id}>
              <td className="px-3 py-2 align-top text-xs text-slate-400 tabular-nums">
                <Link href={href(row.id)} scroll={false} className="hover:text-blue-700">
                  {row.id}
                </Link>
              </td>
              <td className="max-w-sm px-3 py-2 align-top">
                <Link href={href(row.id)} scroll={false} className="line-clamp-2 hover:text-blue-700">
                  {row.question}
                </Link>
              </td>
              <td className="max-w-md px-3 py-2 align-top">
                <Link href={href(row.id)} scroll={false} className="line-clamp-2 text-slate-700 hover:text-blue-700">
                  {row.finalStep || <span className="text-slate-400">(empty)</span>}
                </Link>
              </td>
              {columns.map((c) => {
                const cell = row.cells[c.id];
                return (
                  <td key={c.id} className="px-3 py-2 align-top whitespace-nowrap">
                    {/* the whole row opens the detail, the verdicts too (out of the Tab order: the row's other links are in it) */}
                    <Link href={href(row.id)} scroll={false} tabIndex={-1}>
                      <VerdictBadge verdict={cell?.verdict ?? null} error={cell?.error} />
                      {cell?.softReward != null && <span className="ml-2 text-xs text-slate-500 tabular-nums">{formatScore(cell.softReward)}</span>}
                    </Link>
                  </td>
                );
              })}
              <td className="px-3 py-2 align-top">
                <LabelBadge label={row.goldLabel} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
