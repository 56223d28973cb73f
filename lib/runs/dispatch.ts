// The dispatcher: binds a queue job to every chunk of a running run that has none, in one
// transaction with the job's insertion (pg-boss writes through the same connection), so a
// chunk never gets two jobs and a job never exists without its chunk knowing it.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type PgBoss from "pg-boss";

export const CHUNK_QUEUE = "judge-chunk";

/**
 * Sends up to 1,000 chunks, at most `perRun` unfinished ones of each run at a time; returns how
 * many. Workers take jobs oldest first, so a run whose every chunk was queued at once would hold
 * the workers until its last chunk (a run of a million items before a test run of a hundred, or
 * a run waiting on an endpoint's retries before a healthy one): with a few of each run queued,
 * the runs' chunks take turns.
 */
export async function dispatchChunks(pool: pg.Pool, boss: PgBoss, perRun = 1000): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // SKIP LOCKED: several dispatchers never bind two jobs to one chunk (index judge_runs(status, created_at)).
    // The per-run count is read before the lock: two dispatchers at once may each top a run up,
    // sending up to twice `perRun`, which costs nothing but the turn-taking.
    const { rows } = await client.query<{ run_id: number; idx: number }>(
      `WITH running AS (SELECT id, created_at FROM judge_runs WHERE status = 'running'),
       queued AS (
         SELECT c.run_id, count(*) AS n FROM judge_run_chunks c JOIN running r ON r.id = c.run_id
         WHERE c.job_id IS NOT NULL AND c.finished_at IS NULL GROUP BY c.run_id),
       waiting AS (
         SELECT c.run_id, c.idx, r.created_at, row_number() OVER (PARTITION BY c.run_id ORDER BY c.idx) AS k
         FROM judge_run_chunks c JOIN running r ON r.id = c.run_id
         WHERE c.job_id IS NULL AND c.finished_at IS NULL),
       wanted AS (
         SELECT w.run_id, w.idx, w.created_at FROM waiting w LEFT JOIN queued q ON q.run_id = w.run_id
         WHERE w.k + coalesce(q.n, 0) <= $1)
       SELECT c.run_id, c.idx FROM judge_run_chunks c JOIN wanted w ON w.run_id = c.run_id AND w.idx = c.idx
       WHERE c.job_id IS NULL AND c.finished_at IS NULL
       ORDER BY w.created_at, c.run_id, c.idx LIMIT 1000 FOR UPDATE OF c SKIP LOCKED`,
      [perRun],
    );
    if (rows.length > 0) {
      const jobs = rows.map((r) => ({ id: randomUUID(), name: CHUNK_QUEUE, data: { runId: r.run_id, idx: r.idx } }));
      await boss.insert(jobs, { db: { executeSql: (text: string, values?: unknown[]) => client.query(text, values) } });
      await client.query(
        `UPDATE judge_run_chunks c SET job_id = t.job_id FROM unnest($1::int[], $2::int[], $3::uuid[]) AS t(run_id, idx, job_id)
         WHERE c.run_id = t.run_id AND c.idx = t.idx`,
        [jobs.map((j) => j.data.runId), jobs.map((j) => j.data.idx), jobs.map((j) => j.id)],
      );
    }
    await client.query("COMMIT");
    return rows.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
