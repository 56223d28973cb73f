// The judgments list's subject, policy-model and length filters, the text search window, and the
// breakdown links of the analytics views, against a plain SQL count on the fixture of
// tests/analytics-fixture.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { buildFixture, type TFixture } from "@/tests/analytics-fixture";
import { LENGTH_BUCKETS } from "@/lib/stats/length-buckets";
import { Prisma } from "@/lib/db/generated/client";
import { countJudgments, judgeColumns, judgmentPageSql, listJudgments, type TJudgeColumn } from "./queries";
import type { TJudgmentFilters } from "./filters";

const prisma = testDb();
let fx: TFixture;
let columns: TJudgeColumn[];

beforeAll(async () => {
  await resetDb();
  fx = await buildFixture(prisma);
  columns = await judgeColumns(fx.datasetId);
});

const base = (): TJudgmentFilters => ({ dataset: fx.datasetId, verdict: [], q: undefined });

/** Every id the list shows for `filters`, walking its keyset pages. */
async function allIds(filters: TJudgmentFilters, search?: { window: number; budgetMs: number }) {
  const ids: number[] = [];
  let after: number | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await listJudgments({ ...filters, after }, columns, 7, search);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  return ids;
}

async function expectIds(filters: TJudgmentFilters, want: number[]) {
  expect(await allIds(filters)).toEqual(want);
  expect(await countJudgments(filters, columns)).toBe(want.length);
  expect(want.length).toBeGreaterThan(0);
}

describe("dimension filters select exactly their responses", () => {
  let rows: { id: number; subject: string | null; policy_model: string; text_length: number }[];
  beforeAll(async () => {
    rows = await prisma.$queryRaw`SELECT r.id, q.subject, r.policy_model, r.text_length FROM responses r JOIN questions q ON q.id = r.question_id WHERE r.dataset_id = ${fx.datasetId} ORDER BY r.id`;
  });

  it("subject", async () => {
    await expectIds({ ...base(), subject: "medicine" }, rows.filter((r) => r.subject === "medicine").map((r) => r.id));
  });

  it("policy model", async () => {
    await expectIds({ ...base(), model: "policy-b" }, rows.filter((r) => r.policy_model === "policy-b").map((r) => r.id));
  });

  it.each(LENGTH_BUCKETS.filter((b) => b.key !== "2000-4000").map((b) => [b.key, b] as const))("length %s", async (key, bucket) => {
    await expectIds({ ...base(), len: key }, rows.filter((r) => r.text_length >= bucket.min && (bucket.max === null || r.text_length < bucket.max)).map((r) => r.id));
  });

  it("combined with a verdict", async () => {
    const judge = fx.judges[0]!.id;
    const yes = new Set((await prisma.judgment.findMany({ where: { judgeId: judge, templateVersion: fx.judges[0]!.templateVersion, sample: 0, verdict: "YES" }, select: { responseId: true } })).map((j) => j.responseId));
    await expectIds({ ...base(), subject: "chemistry", verdict: [{ judgeId: judge, verdict: "YES" }] }, rows.filter((r) => r.subject === "chemistry" && yes.has(r.id)).map((r) => r.id));
  });
});

describe("disagreement with the experts", () => {
  it("walks the labelled responses in id order across pages (each label walked apart, then merged)", async () => {
    const judge = fx.judges[1]!;
    const want = (await prisma.$queryRaw<{ id: number }[]>`
      SELECT r.id FROM responses r JOIN judgments j ON j.response_id = r.id AND j.judge_id = ${judge.id} AND j.template_version = ${judge.templateVersion} AND j.sample = 0
      WHERE r.dataset_id = ${fx.datasetId} AND ((j.verdict = 'YES' AND r.gold_label = 'incorrect') OR (j.verdict = 'NO' AND r.gold_label = 'correct'))
      ORDER BY r.id`).map((r) => r.id);
    expect(want.length).toBeGreaterThan(14);
    await expectIds({ ...base(), disagree: [{ kind: "expert" }, { kind: "judge", judgeId: judge.id }] }, want);
  });
});

describe("disagreement between two judges", () => {
  it("is probed per response on a page, whatever the planner's statistics (no join of the two judges' judgments)", async () => {
    // On tables never analysed (a fresh import; the embedded database has no autovacuum) a
    // semi-join of both judges' judgments was planned as a nested loop over every pair of them
    // for each response, and a page of the demo never finished.
    const filters = { ...base(), disagree: [{ kind: "judge" as const, judgeId: fx.judges[0]!.id }, { kind: "judge" as const, judgeId: fx.judges[1]!.id }] as [{ kind: "judge"; judgeId: number }, { kind: "judge"; judgeId: number }] };
    const [plan] = await prisma.$queryRaw<{ "QUERY PLAN": [{ Plan: unknown }] }[]>(Prisma.sql`EXPLAIN (FORMAT JSON) ${judgmentPageSql(filters, columns)}`);
    const text = JSON.stringify(plan!["QUERY PLAN"]);
    expect(text).toContain("SubPlan");
    expect(text).not.toMatch(/Semi Join/);
    const want = (await prisma.$queryRaw<{ id: number }[]>`
      SELECT r.id FROM responses r
      JOIN judgments a ON a.response_id = r.id AND a.judge_id = ${fx.judges[0]!.id} AND a.template_version = ${fx.judges[0]!.templateVersion} AND a.sample = 0
      JOIN judgments b ON b.response_id = r.id AND b.judge_id = ${fx.judges[1]!.id} AND b.template_version = ${fx.judges[1]!.templateVersion} AND b.sample = 0
      WHERE r.dataset_id = ${fx.datasetId} AND a.verdict IN ('YES', 'NO') AND b.verdict IN ('YES', 'NO') AND a.verdict <> b.verdict ORDER BY r.id`).map((r) => r.id);
    await expectIds(filters, want);
  });
});

describe("text search window", () => {
  it("finds every match walking windows smaller than the dataset, and says how far a page searched", async () => {
    const filters = { ...base(), q: "answer 1" };
    const want = (await prisma.$queryRaw<{ id: number }[]>`
      SELECT r.id FROM responses r JOIN questions q ON q.id = r.question_id
      WHERE r.dataset_id = ${fx.datasetId} AND (r.text ILIKE '%answer 1%' OR q.text ILIKE '%answer 1%') ORDER BY r.id`).map((r) => r.id);
    expect(want.length).toBeGreaterThan(10);
    // one window of 13 responses per page, several per page, and the default
    expect(await allIds(filters, { window: 13, budgetMs: 0 })).toEqual(want);
    expect(await allIds(filters, { window: 13, budgetMs: 60_000 })).toEqual(want);
    expect(await allIds(filters)).toEqual(want);
    // Back from the end by the previous-page cursor, a window per page: every match, none out of order.
    const ids: number[][] = [];
    let page = await listJudgments({ ...filters, before: 2 ** 31 - 1 }, columns, 7, { window: 13, budgetMs: 0 });
    for (let guard = 0; guard < 1000; guard++) {
      ids.push(page.rows.map((r) => r.id));
      if (page.prevCursor === null) break;
      page = await listJudgments({ ...filters, before: page.prevCursor }, columns, 7, { window: 13, budgetMs: 0 });
    }
    expect(page.prevCursor).toBeNull();
    for (const p of ids) expect(p).toEqual([...p].sort((x, y) => x - y));
    // the last step back lands on the first page as a visit without a cursor shows it (it may repeat a few rows the step before showed)
    expect([...new Set(ids.flat())].sort((x, y) => x - y)).toEqual(want);
    // A page that found nothing within its budget still moves the cursor on.
    const first = await listJudgments({ ...base(), q: "no such text anywhere" }, columns, 7, { window: 13, budgetMs: 0 });
    expect(first.rows).toEqual([]);
    expect(first.searchedTo).toBeGreaterThan(0);
    expect(first.nextCursor).toBe(first.searchedTo);
  });
});
