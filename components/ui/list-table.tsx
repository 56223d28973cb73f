// The studio's list tables (datasets, runs, imports, exports, judges, users, tokens): a white card
// with a grey header row and divided rows. One definition, so every list page looks the same.
import type { ComponentProps, ReactNode } from "react";

type TListTableProps = Omit<ComponentProps<"table">, "children"> & {
  /** the header row's cells */
  head: ReactNode;
  /** the rows */
  children: ReactNode;
  bodyClassName?: string;
};

export function ListTable({ head, children, className = "", bodyClassName = "", ...props }: TListTableProps) {
  return (
    // The card scrolls sideways when the table is wider than the screen (a phone), rather than
    // the page: the header and the rest of the page stay put.
    <div className={`relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200 ${className}`}>
      <table className="w-full text-left" {...props}>
        <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
          <tr>{head}</tr>
        </thead>
        <tbody className={`divide-y divide-slate-100 ${bodyClassName}`}>{children}</tbody>
      </table>
    </div>
  );
}
