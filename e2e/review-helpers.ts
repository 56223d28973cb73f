// Data for the review specs: the review fixture imported through the CLI into its own dataset
// (so the demo's agreement figures stay those of the files), a judge with verdicts and P(YES)
// written straight into the database, and queues made in SQL when the test is not about making them.
import { execFileSync } from "node:child_process";
import { databaseInfo, query } from "./helpers";

export const REVIEW_DATASET = "review-e2e";

/** Imports e2e/fixtures/review.jsonl once and gives it a judge: YES unless n % 5 = 0; P(YES) = 0.1 + n / 40. */
/** Imports a fixture through the CLI, as a user would (a second import adds nothing). */
export function importFixture(file: string, dataset: string) {
  const db = databaseInfo();
  const env = { ...process.env, STUDIO_DATA_DIR: db.dataDir, ...(db.embedded ? {} : { DATABASE_URL: db.url }) };
  if (db.embedded) delete env.DATABASE_URL;
  execFileSync("npx", ["tsx", "scripts/studio.ts", "import", file, "--dataset", dataset], { env, stdio: "pipe" });
}

export async function seedReview(): Promise<{ datasetId: number; judgeId: number }> {
  importFixture("e2e/fixtures/review.jsonl", REVIEW_DATASET);
  const [dataset] = await query<{ id: number }>(`SELECT id FROM datasets WHERE name = $1`, [REVIEW_DATASET]);
  const [judge] = await query<{ id: number }>(
    `INSERT INTO judges (name, kind, size_label) VALUES ('Big judge', 'external', '72B')
     ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`,
  );
  const [run] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM judge_runs WHERE judge_id = $1 AND dataset_id = $2`, [judge!.id, dataset!.id]);
  if (run!.n === 0) {
    await query(`INSERT INTO judge_runs (judge_id, dataset_id, status, source) VALUES ($1, $2, 'completed', 'import')`, [judge!.id, dataset!.id]);
    await query(
      `INSERT INTO judgments (response_id, judge_id, verdict, p_yes, soft_reward, raw_output)
       SELECT r.id, $1, CASE WHEN n % 5 = 0 THEN 'NO' ELSE 'YES' END::verdict, 0.1 + n / 40.0, 0.1 + n / 40.0, 'raw'
       FROM responses r CROSS JOIN LATERAL (SELECT coalesce(substring(r.external_id from 'review-(\\d+)')::int, 30) AS n) x
       WHERE r.dataset_id = $2`,
      [judge!.id, dataset!.id],
    );
  }
  return { datasetId: dataset!.id, judgeId: judge!.id };
}

export async function userId(email: string): Promise<string> {
  const [row] = await query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  return row!.id;
}

/** Responses of the review dataset that the demo expert has not labeled, by external id number. */
export async function unlabeled(datasetId: number, count: number, options: { hostile?: boolean } = {}): Promise<number[]> {
  const expert = await userId("expert@demo.studio");
  const rows = await query<{ id: number }>(
    `SELECT r.id FROM responses r WHERE r.dataset_id = $1
       AND NOT EXISTS (SELECT 1 FROM expert_labels l WHERE l.response_id = r.id AND l.annotator = $2)
       AND (r.external_id = 'review-hostile') = $3
       AND NOT EXISTS (SELECT 1 FROM review_items i WHERE i.response_id = r.id)
     ORDER BY r.id DESC LIMIT $4`,
    [datasetId, expert, options.hostile ?? false, count],
  );
  return rows.map((r) => r.id);
}

/** A queue over `responseIds` for the demo expert, made directly in the database. */
export async function makeQueue(datasetId: number, name: string, responseIds: number[], options: { blind: boolean; overlap?: number }): Promise<number> {
  const [queue] = await query<{ id: number }>(
    `INSERT INTO review_queues (dataset_id, name, source, overlap, blind, item_count) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [datasetId, name, JSON.stringify({ filter: `dataset=${datasetId}` }), options.overlap ?? 1, options.blind, responseIds.length],
  );
  await query(`INSERT INTO review_items (queue_id, response_id, position) SELECT $1, id, ord FROM unnest($2::int[]) WITH ORDINALITY AS t(id, ord)`, [queue!.id, responseIds]);
  await query(`INSERT INTO review_queue_members (queue_id, user_id) VALUES ($1, $2)`, [queue!.id, await userId("expert@demo.studio")]);
  return queue!.id;
}
