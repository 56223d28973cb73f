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
    <table className={`w-full overflow-hidden rounded-lg bg-white text-left shadow-sm ring-1 ring-slate-200 ${className}`} {...props}>
      <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
        <tr>{head}</tr>
      </thead>
      <tbody className={`divide-y divide-slate-100 ${bodyClassName}`}>{children}</tbody>
    </table>
  );
}
