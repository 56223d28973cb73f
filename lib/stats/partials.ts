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
import { analyticsParallelism, rememberViewed, sideBySide, snapshot, type TChanges, type TSnapshot } from "./snapshot";

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

/**
 * From how much work a computation is split over connections: 8 stale chunks (about 130,000
 * responses, a tenth of a second), or a pass over 20,000 questions' batches (about 100,000
 * responses). Tests lower them to split their small datasets.
 */
export const SPLIT_FROM = { chunks: 8, questions: 20_000 };

/** `items` cut into at most `parts` consecutive groups of about equal size, none smaller than `least` (one group when too few). */
export function splitEvenly<T>(items: readonly T[], parts: number, least: number): T[][] {
  const n = Math.max(1, Math.min(parts, Math.floor(items.length / least)));
  return Array.from({ length: n }, (_, i) => items.slice(Math.round((i * items.length) / n), Math.round(((i + 1) * items.length) / n)));
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
  options: { fresh?: boolean; remembered?: boolean } = {},
): Promise<TSnapshot<T> & { chunks?: { total: number; computed: number } }> {
  if (!options.fresh && !options.remembered) rememberViewed(datasetId, key, () => chunkedSnapshot(datasetId, key, chunked, { remembered: true }));
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
      // Many stale chunks (a first view, a new judge over everything) are split over connections.
      const computed = await sideBySide(
        tx,
        splitEvenly(stale, analyticsParallelism(), SPLIT_FROM.chunks).map((group) => async (t: Tx) => {
          const out: [TChunkRun, Map<number, P>][] = [];
          for (const run of runsOf(group, chunks)) out.push([run, await chunked.compute(t, run)]);
          return out;
        }),
      );
      for (const [run, parts] of computed.flat()) {
        for (const chunk of run.chunks) {
          const part = parts.get(chunk) ?? chunked.empty();
          stored.set(chunk, part);
          writes.push({ chunk, version: versions.get(chunk)!, payload: part });
        }
      }
      counts = { total: chunks.length, computed: stale.length };
      return chunked.combine(chunks.map((c) => stored.get(c)!));
    },
    { ...options, remembered: true },
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

// ---------------------------------------------------------------------------------------------
// Parts per batch of questions.
//
// Eq. 5 over a batch of B questions needs the batch's mean and standard deviation and then each
// of its rewards again: it adds up over batches, not over chunks of response ids (a batch's
// responses may lie in several chunks, a chunk holds many batches). So such a figure keeps one
// part per batch, each with the range of chunks of the rows it read, all in one stored row (written at
// once, so the parts and the chunk versions beside them always come from one snapshot). A batch
// is recomputed when
//   - its questions are not the ones its part was computed for (first and last id, count: a
//     question added or deleted before it shifts every later batch),
//   - a chunk in the range of chunks its part read changed or is gone (a judgment re-judged, a
//     response deleted), or
//   - a changed chunk holds a response of one of its questions now (a response or a judgment
//     added to one of its questions in a chunk the part did not read).
// Any change to a batch's rows is one of these: rows come and go only through chunks that then
// change, and a row that moves between questions changes the chunk it is in both before and after.

/** Batch `batch` of a dataset: its `questions` consecutive questions by id, ids first..last. */
export type TQuestionBatch = { batch: number; first: number; last: number; questions: number };

/** Which batches to compute: a few by `list`, or a `range` of consecutive ones by a pass over their questions' rows. */
export type TBatchSelection = { list: TQuestionBatch[] } | { range: TQuestionBatch[] };

/** `read`: the first and last chunk of the rows the part was computed from (null: none). */
type TBatchPart<P> = { first: number; last: number; questions: number; read: [number, number] | null; part: P };
type TBatchState<P> = { versions: Record<string, string>; batches: (TBatchPart<P> | null)[] };

type TBatched<P, T> = {
  /** questions per batch */
  size: number;
  /**
   * The parts of the selected batches, each with the first and last chunk of the rows it read (a
   * batch left out has the empty part).
   */
  compute: (tx: Tx, selection: TBatchSelection) => Promise<Map<number, { part: P; read: [number, number] | null }>>;
  empty: () => P;
  /** The result from every batch's part, in batch order. */
  combine: (parts: P[]) => T;
};

/** Stale batches above this share are recomputed by passes over the dataset rather than by batch. */
const BATCHES_BY_PASS = 0.25;

/**
 * (question_id, batch) of each question of the dataset: consecutive blocks of `size` questions by
 * id (null: one batch, 0).
 */
function questionBatchOf(datasetId: number, size: number | null) {
  if (size === null) return Prisma.sql`SELECT id AS question_id, 0 AS batch FROM questions WHERE dataset_id = ${datasetId}`;
  return Prisma.sql`SELECT id AS question_id, ((row_number() OVER (ORDER BY id) - 1) / ${size}::int)::int AS batch
    FROM questions WHERE dataset_id = ${datasetId}`;
}

/**
 * The batch number of a question id of the dataset among consecutive batches `range`: a binary
 * search in the batches' first ids (width_bucket), cheaper per row than joining every question's
 * batch number.
 */
export function batchInRange(questionId: Prisma.Sql, range: readonly TQuestionBatch[]) {
  return Prisma.sql`(${range[0]!.batch}::int + width_bucket(${questionId}, ${range.map((b) => b.first)}::int[]) - 1)`;
}

/** The dataset's questions in batches of `size` by id. */
async function questionBatches(tx: Tx, datasetId: number, size: number): Promise<TQuestionBatch[]> {
  return tx.$queryRaw<TQuestionBatch[]>`
    SELECT batch, min(question_id)::int AS first, max(question_id)::int AS last, count(*)::int AS questions
    FROM (${questionBatchOf(datasetId, size)}) q GROUP BY batch ORDER BY batch`;
}

/** The batches (of `batches`, ordered by first id) holding the questions with a response in `runs`. */
async function batchesWithResponsesIn(tx: Tx, datasetId: number, runs: TChunkRun[], batches: readonly TQuestionBatch[]): Promise<Set<number>> {
  const found = new Set<number>();
  for (const run of runs) {
    const rows = await tx.$queryRaw<{ question_id: number }[]>`
      SELECT DISTINCT question_id FROM responses WHERE dataset_id = ${datasetId} AND id >= ${run.lo} AND id < ${run.hi}`;
    for (const { question_id: id } of rows) {
      // The batch whose range holds the id: the last one starting at or before it.
      let lo = 0;
      let hi = batches.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (batches[mid]!.first <= id) lo = mid;
        else hi = mid - 1;
      }
      const batch = batches[lo];
      if (batch && batch.first <= id && id <= batch.last) found.add(batch.batch);
    }
  }
  return found;
}

/**
 * A snapshot of `key` whose computation adds up parts per batch of questions (see above): the
 * parts still valid are read back, the others computed (all of them when `fresh`) and stored.
 */
export async function batchedSnapshot<P, T>(
  datasetId: number,
  key: string,
  batched: TBatched<P, T>,
  options: { fresh?: boolean; reads?: TChanges; remembered?: boolean } = {},
): Promise<TSnapshot<T> & { batches?: { total: number; computed: number } }> {
  if (!options.fresh && !options.remembered) rememberViewed(datasetId, key, () => batchedSnapshot(datasetId, key, batched, { reads: options.reads, remembered: true }));
  let state: TBatchState<P> | undefined;
  let counts: { total: number; computed: number } | undefined;
  const result = await snapshot(
    datasetId,
    key,
    async (tx) => {
      const chunks = await datasetChunks(tx, datasetId);
      const versions = await chunkVersions(tx, chunks);
      const batches = await questionBatches(tx, datasetId, batched.size);
      let stored: TBatchState<P> | undefined;
      if (!options.fresh) {
        const [row] = await tx.$queryRaw<{ payload: TBatchState<P> }[]>`
          SELECT payload FROM analytics_partials WHERE dataset_id = ${datasetId} AND key = ${key} AND chunk = 0`;
        stored = row?.payload;
      }
      // Chunks whose rows are not what the stored parts read: changed, new, or gone.
      const changed = stored ? chunks.filter((c) => stored!.versions[c] !== versions.get(c)) : chunks;
      const moved = [...changed, ...Object.keys(stored?.versions ?? {}).map(Number).filter((c) => !versions.has(c))];
      const parts: (TBatchPart<P> | null)[] = batches.map((b) => {
        const part = stored?.batches[b.batch];
        if (!part || part.first !== b.first || part.last !== b.last || part.questions !== b.questions) return null;
        // A chunk between its first and last that holds none of its rows counts too: cheaper than listing them.
        const [lo, hi] = part.read ?? [0, -1];
        return moved.some((c) => lo <= c && c <= hi) ? null : part;
      });
      if (stored) for (const batch of await batchesWithResponsesIn(tx, datasetId, runsOf(changed, chunks), batches)) parts[batch] = null;
      const stale = batches.filter((b) => parts[b.batch] === null);
      if (stale.length) {
        // Many: passes over the dataset, each over a range of batches, split over connections.
        const selections: TBatchSelection[] =
          stale.length > batches.length * BATCHES_BY_PASS
            ? splitEvenly(batches, analyticsParallelism(), Math.ceil(SPLIT_FROM.questions / batched.size)).map((range) => ({ range }))
            : [{ list: stale }];
        const computed = await sideBySide(tx, selections.map((selection) => (t: Tx) => batched.compute(t, selection)));
        const all = new Map(computed.flatMap((m) => [...m]));
        for (const b of stale) {
          const { part, read } = all.get(b.batch) ?? { part: batched.empty(), read: null };
          parts[b.batch] = { first: b.first, last: b.last, questions: b.questions, read, part };
        }
      }
      counts = { total: batches.length, computed: stale.length };
      if (stale.length || changed.length || stored?.batches.length !== batches.length) state = { versions: Object.fromEntries(versions), batches: parts };
      return batched.combine(parts.map((p) => p!.part));
    },
    { ...options, remembered: true },
  );
  // Outside the snapshot transaction, as the snapshot itself; one row, so whichever reader writes
  // last leaves parts and versions of one snapshot.
  if (state) {
    await db().$executeRaw`
      INSERT INTO analytics_partials (dataset_id, key, chunk, version, payload) VALUES (${datasetId}, ${key}, 0, 'batches', ${JSON.stringify(state)}::jsonb)
      ON CONFLICT (dataset_id, key, chunk) DO UPDATE SET version = excluded.version, payload = excluded.payload`;
  }
  return counts ? { ...result, batches: counts } : result;
}
