// The dispatcher: binds a queue job to every chunk of a running run that has none, in one
// transaction with the job's insertion (pg-boss writes through the same connection), so a
// chunk never gets two jobs and a job never exists without its chunk knowing it.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type PgBoss from "pg-boss";

export const CHUNK_QUEUE = "judge-chunk";

/** Sends up to 1,000 chunks; returns how many. */
export async function dispatchChunks(pool: pg.Pool, boss: PgBoss): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // SKIP LOCKED: several dispatchers never bind two jobs to one chunk (index judge_runs(status, created_at)).
    const { rows } = await client.query<{ run_id: number; idx: number }>(
      `SELECT c.run_id, c.idx FROM judge_run_chunks c JOIN judge_runs r ON r.id = c.run_id
       WHERE r.status = 'running' AND c.job_id IS NULL AND c.finished_at IS NULL
       ORDER BY r.created_at, c.run_id, c.idx LIMIT 1000 FOR UPDATE OF c SKIP LOCKED`,
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
