// What every importer reports: how many rows it read, wrote and skipped, and every rejected
// line with the field at fault and the reason.
export type TReject = { line: number; field: string; reason: string };

export type TImportSummary = {
  read: number;
  inserted: number;
  /** rows that were already there (re-import) */
  skipped: number;
  rejected: TReject[];
};

export const emptySummary = (): TImportSummary => ({ read: 0, inserted: 0, skipped: 0, rejected: [] });
