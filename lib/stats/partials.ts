// Results that add up over a dataset's responses (counts of answer combinations, breakdown cells,
// histograms) kept per chunk of response ids, so that the first view after a small change (an
// expert's label, a re-judged item, an import of new responses) recomputes only the chunks the
// change touched and adds the stored parts of the others. A whole snapshot (./snapshot.ts) is
// all-or-nothing: any commit anywhere made the next view pass over a million responses again.
//
// A chunk is 2^CHUNK_BITS consecutive response ids (a global range: it may hold several
// datasets' responses). Statement triggers record, for every writing transaction, the chunks its
// changed rows fall in (analytics_chunk_changes; the migration 20261129000000_analytics_partials);
// a chunk's version is (count, max id) of its rows and of chunk -1's (a TRUNCATE touches every
// chunk). A part is stored with the version of its chunk read in the same REPEATABLE READ snapshot
// as the part itself, so a stored part is exactly the chunk's part at that version, and any later
// commit touching the chunk changes the version (rows only ever join the visible set; compaction
// adds rows with larger ids). The dataset's chunks are found by skipping through
// responses(dataset_id, id), one probe per chunk.
import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { snapshot, type TSnapshot } from "./snapshot";

type Tx = Prisma.TransactionClient;

/** 16,384 response ids per chunk: a chunk of a million-response dataset is recomputed in tens of milliseconds. */
export const CHUNK_BITS = 14;

/** Response ids [lo, hi) of consecutive chunks of the dataset, computed in one query. */
export type TChunkRun = { lo: number; hi: number; chunks: number[] };

/** Rows of analytics_chunk_changes above which they are folded into one per chunk. */
const COMPACT_ABOVE = 20_000;

type TPartWrite = { chunk: number; version: string; payload: unknown };

/** SQL for the chunk of response id `expr` (group by it in a run's query). */
export const chunkOf = (expr: Prisma.Sql) => Prisma.sql`(${expr} >> ${Prisma.raw(String(CHUNK_BITS))})`;

/** A run's rows (each with its chunk) made into one part per chunk. */
export function partsByChunk<R extends { chunk: number }, P>(rows: readonly R[], part: (chunkRows: R[]) => P): Map<number, P> {
  const byChunk = new Map<number, R[]>();
  for (const row of rows) {
    const chunkRows = byChunk.get(row.chunk);
    if (chunkRows) chunkRows.push(row);
    else byChunk.set(row.chunk, [row]);
  }
  return new Map([...byChunk].map(([chunk, chunkRows]) => [chunk, part(chunkRows)]));
}

/** The chunks holding the dataset's responses, in order. */
async function datasetChunks(tx: Tx, datasetId: number): Promise<number[]> {
  const rows = await tx.$queryRaw<{ chunk: number }[]>`
    WITH RECURSIVE c AS (
      (SELECT id >> ${CHUNK_BITS}::int AS chunk FROM responses WHERE dataset_id = ${datasetId} ORDER BY id LIMIT 1)
      UNION ALL
      SELECT (SELECT r.id >> ${CHUNK_BITS}::int FROM responses r WHERE r.dataset_id = ${datasetId} AND r.id >= (c.chunk + 1) << ${CHUNK_BITS}::int ORDER BY r.id LIMIT 1)
      FROM c WHERE c.chunk IS NOT NULL
    )
    SELECT chunk::int AS chunk FROM c WHERE chunk IS NOT NULL`;
  return rows.map((r) => r.chunk);
}

/** Each chunk's version: its change rows' (count, max id) and those of chunk -1. */
async function chunkVersions(tx: Tx, chunks: number[]): Promise<Map<number, string>> {
  const rows = await tx.$queryRaw<{ chunk: number; n: number; max_id: string }[]>`
    SELECT chunk::int AS chunk, count(*)::int AS n, max(id)::text AS max_id FROM analytics_chunk_changes
    WHERE chunk = ANY(${[...chunks, -1]}::bigint[]) GROUP BY chunk`;
  const of = new Map(rows.map((r) => [r.chunk, `${r.n}:${r.max_id}`]));
  const all = of.get(-1) ?? "0:0";
  return new Map(chunks.map((c) => [c, `${of.get(c) ?? "0:0"}/${all}`]));
}

/** Consecutive chunks of the list as runs: one query each. */
export function runsOf(stale: readonly number[], all: readonly number[]): TChunkRun[] {
  const isStale = new Set(stale);
  const runs: TChunkRun[] = [];
  let run: number[] = [];
  const close = () => {
    if (run.length) runs.push({ lo: run[0]! << CHUNK_BITS, hi: (run[run.length - 1]! + 1) << CHUNK_BITS, chunks: run });
    run = [];
  };
  for (const chunk of all) {
    if (isStale.has(chunk)) run.push(chunk);
    else close();
  }
  close();
  return runs;
}

type TChunked<P, T> = {
  /** The parts of the run's chunks (a chunk left out has the empty part). */
  compute: (tx: Tx, run: TChunkRun) => Promise<Map<number, P>>;
  empty: () => P;
  /** The result from every chunk's part, in chunk order. */
  combine: (parts: P[]) => T;
};

/**
 * A snapshot of `key` whose computation adds up parts per chunk: the parts stored at their chunk's
 * current version are read back, the others computed (all of them when `fresh`) and stored.
 */
export async function chunkedSnapshot<P, T>(
  datasetId: number,
  key: string,
  chunked: TChunked<P, T>,
  options: { fresh?: boolean } = {},
): Promise<TSnapshot<T> & { chunks?: { total: number; computed: number } }> {
  const writes: TPartWrite[] = [];
  let counts: { total: number; computed: number } | undefined;
  let chunksSeen: number[] = [];
  let hasGoneChunks = false;
  const result = await snapshot(
    datasetId,
    key,
    async (tx) => {
      const chunks = await datasetChunks(tx, datasetId);
      chunksSeen = chunks;
      const versions = await chunkVersions(tx, chunks);
      const stored = new Map<number, P>();
      if (!options.fresh) {
        const rows = await tx.$queryRaw<{ chunk: number; version: string; payload: P }[]>`
          SELECT chunk::int AS chunk, version, payload FROM analytics_partials WHERE dataset_id = ${datasetId} AND key = ${key}`;
        for (const row of rows) {
          if (versions.get(row.chunk) === row.version) stored.set(row.chunk, row.payload);
          else if (!versions.has(row.chunk)) hasGoneChunks = true;
        }
      }
      const stale = chunks.filter((c) => !stored.has(c));
      for (const run of runsOf(stale, chunks)) {
        const parts = await chunked.compute(tx, run);
        for (const chunk of run.chunks) {
          const part = parts.get(chunk) ?? chunked.empty();
          stored.set(chunk, part);
          writes.push({ chunk, version: versions.get(chunk)!, payload: part });
        }
      }
      counts = { total: chunks.length, computed: stale.length };
      return chunked.combine(chunks.map((c) => stored.get(c)!));
    },
    options,
  );
  // Outside the snapshot transaction, as the snapshot itself: two readers storing the same part
  // at once must not fail on each other's row; each part is valid for the version stored with it.
  if (writes.length || hasGoneChunks) await storeParts(datasetId, key, writes, chunksSeen);
  return counts ? { ...result, chunks: counts } : result;
}

async function storeParts(datasetId: number, key: string, writes: TPartWrite[], chunks: number[]) {
  // Parts of chunks the dataset no longer has (its responses there deleted) go.
  await db().$executeRaw`DELETE FROM analytics_partials WHERE dataset_id = ${datasetId} AND key = ${key} AND chunk <> ALL(${chunks}::bigint[])`;
  if (!writes.length) return;
  await db().$executeRaw`
    INSERT INTO analytics_partials (dataset_id, key, chunk, version, payload)
    SELECT ${datasetId}, ${key}, w.chunk, w.version, w.payload
    FROM jsonb_to_recordset(${JSON.stringify(writes)}::jsonb) AS w(chunk bigint, version text, payload jsonb)
    ON CONFLICT (dataset_id, key, chunk) DO UPDATE SET version = excluded.version, payload = excluded.payload`;
  const [{ rows, max_id } = { rows: 0, max_id: "0" }] = await db().$queryRaw<{ rows: number; max_id: string }[]>`
    SELECT count(*)::int AS rows, coalesce(max(id), 0)::text AS max_id FROM analytics_chunk_changes`;
  if (rows > COMPACT_ABOVE) await compactChunkChanges(BigInt(max_id));
}

/**
 * Folds the chunk change rows up to `maxId` into one new row per chunk. The new rows' ids are
 * larger than any deleted one, so every folded chunk's version differs from all its versions
 * before (its parts are recomputed once); rows of transactions still running are invisible here,
 * are not deleted, and change their chunks' versions when they commit.
 */
async function compactChunkChanges(maxId: bigint) {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO analytics_chunk_changes (chunk, xid)
      SELECT DISTINCT chunk, pg_current_xact_id()::text::bigint FROM analytics_chunk_changes WHERE id <= ${maxId}
      ON CONFLICT (chunk, xid) DO NOTHING`;
    await tx.$executeRaw`DELETE FROM analytics_chunk_changes WHERE id <= ${maxId}`;
  });
}
