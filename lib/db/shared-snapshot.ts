// Several connections reading one snapshot of the database: a REPEATABLE READ transaction
// exports its snapshot (pg_export_snapshot) and helper transactions adopt it before their first
// query, so they see exactly the rows it sees. Exports count their manifest's rows beside the
// rows they stream (lib/io/export/cursor.ts); analytics split a computation over two
// connections (lib/stats/snapshot.ts). The embedded database serves one transaction at a time:
// callers there keep to one connection.

/** Run in the exporting transaction: its snapshot's id, in column `id`. */
export const EXPORT_SNAPSHOT = "SELECT pg_export_snapshot() AS id";

/**
 * The statement that makes a new REPEATABLE READ transaction read the snapshot `id` (its first
 * statement). SET TRANSACTION SNAPSHOT takes no parameters, so the id, the server's own in its
 * documented form, is checked before it is put into the SQL text.
 */
export function adoptSnapshot(id: string): string {
  if (!/^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i.test(id)) throw new Error(`unexpected snapshot id ${JSON.stringify(id)}`);
  return `SET TRANSACTION SNAPSHOT '${id}'`;
}
