// The judgments list, its count and its export against a real database, on a dataset built here
// with a known pattern. Every filter's expected rows come from two independent sources: a count
// worked out by hand from the pattern (the comments show the sets), and a plain SQL pivot of the
// tables (one row per response with each judge's verdict and the gold label) filtered in JS.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { importItems } from "@/lib/io/import-items";
import { importJudgments, type TJudgmentRow } from "@/lib/io/import-judgments";
import { importLabels, type TLabelRow } from "@/lib/io/import-labels";
import { exportJudgmentLines } from "./export";
import { createUser } from "@/lib/users/create";
import { setExpertLabel } from "@/lib/labels/set-label";
import { parseJudgmentFilters, type TJudgmentFilters } from "./filters";
import { countJudgments, judgeColumns, listJudgments, type TJudgeColumn } from "./queries";

const prisma = testDb();

// ---------------------------------------------------------------------------------------------
// The pattern. 30 responses i = 0..29: question k = floor(i / 3), sample i % 3.
const N = 30;
const QUESTION: Record<number, string> = { 2: "Who was George Washington?", 5: "what is 5_% of 100?" };
const RESPONSE: Record<number, string> = {
  1: "Let me think.\nfinal answer 1",
  10: "discount 5_% today",
  11: "5x%y", // matches 5_% only if _ and % were wildcards
  13: "it was WASHINGTON",
  20: "50 percent", // idem
  25: "path a\\b",
  26: "path ab", // matches a\b only if the backslash were an escape
};
const questionText = (k: number) => QUESTION[k] ?? `question ${k}`;
const responseText = (i: number) => RESPONSE[i] ?? `answer ${i}`;

type V = "YES" | "NO" | "UNPARSEABLE";
// Judge A, by i % 5: 0 YES, 1 NO, 2 UNPARSEABLE, 3 no judgment (but i = 28: a failed call), 4 YES
function verdictA(i: number): V | "ERROR" | null {
  return (["YES", "NO", "UNPARSEABLE", i === 28 ? "ERROR" : null, "YES"] as const)[i % 5]!;
}
// Judge B, by i % 3: 0 YES, 1 NO, 2 UNPARSEABLE when i % 6 = 5, else no judgment
function verdictB(i: number): V | null {
  return i % 3 === 0 ? "YES" : i % 3 === 1 ? "NO" : i % 6 === 5 ? "UNPARSEABLE" : null;
}
// Imported labels, by i % 4: 0 a1 correct + a2 correct; 1 a1 incorrect; 2 a1 correct + a2 incorrect
// (tie); 3 a1 unsure when i % 8 = 7, else none.
function labelsOf(i: number): { annotator: string; value: "correct" | "incorrect" | "unsure" }[] {
  switch (i % 4) {
    case 0:
      return [{ annotator: "a1", value: "correct" }, { annotator: "a2", value: "correct" }];
    case 1:
      return [{ annotator: "a1", value: "incorrect" }];
    case 2:
      return [{ annotator: "a1", value: "correct" }, { annotator: "a2", value: "incorrect" }];
    default:
      return i % 8 === 7 ? [{ annotator: "a1", value: "unsure" }] : [];
  }
}

type TWorld = {
  datasetId: number;
  otherDatasetId: number;
  judgeA: number;
  judgeB: number;
  judgeC: number;
  /** index i -> response id */
  ids: number[];
  columns: TJudgeColumn[];
};

async function build(): Promise<TWorld> {
  const dataset = await prisma.dataset.create({ data: { name: "main" } });
  const other = await prisma.dataset.create({ data: { name: "other" } });
  const items = Array.from({ length: N }, (_, i) => ({
    line: i + 1,
    question: questionText(Math.floor(i / 3)),
    reference: `reference ${Math.floor(i / 3)}`,
    response: responseText(i),
    policyModel: "m",
    sampleIndex: i % 3,
  }));
  expect(await importItems(prisma, dataset.id, items)).toMatchObject({ inserted: N, rejected: [] });
  // Another dataset whose texts match the searches and whose responses judge A said YES to: none of
  // it may show up in the main dataset's list.
  const otherItems = [0, 1, 2].map((i) => ({ line: i + 1, question: "Who was George Washington?", reference: "r", response: `washington 5_% ${i}` }));
  await importItems(prisma, other.id, otherItems);

  const rows = await prisma.response.findMany({ where: { datasetId: dataset.id }, select: { id: true, text: true } });
  const idOf = new Map(rows.map((r) => [r.text, r.id]));
  const ids = Array.from({ length: N }, (_, i) => idOf.get(responseText(i))!);

  const judgeA = await prisma.judge.create({ data: { name: "Judge A", kind: "external", sizeLabel: "72B" } });
  const judgeB = await prisma.judge.create({ data: { name: "Judge B", kind: "external" } });
  // judge C judged only the other dataset: no column in the main one
  const judgeC = await prisma.judge.create({ data: { name: "Judge C", kind: "external" } });

  const ref = (i: number) => ({ question: questionText(Math.floor(i / 3)), response: responseText(i) });
  const rowsA: TJudgmentRow[] = [];
  const rowsB: TJudgmentRow[] = [];
  for (let i = 0; i < N; i++) {
    const a = verdictA(i);
    if (a === "ERROR") rowsA.push({ line: i + 1, ...ref(i), verdict: null, error: "timeout" });
    else if (a) rowsA.push({ line: i + 1, ...ref(i), verdict: a, rawOutput: a === "UNPARSEABLE" ? "maybe?" : a.toLowerCase() });
    const b = verdictB(i);
    if (b) rowsB.push({ line: i + 1, ...ref(i), verdict: b, pYes: b === "YES" ? 0.75 : 0.25, pNo: b === "YES" ? 0.25 : 0.75, softReward: b === "YES" ? 0.75 : 0.25 });
  }
  const runA = await prisma.judgeRun.create({ data: { judgeId: judgeA.id, datasetId: dataset.id, source: "import", status: "completed" } });
  const runB = await prisma.judgeRun.create({ data: { judgeId: judgeB.id, datasetId: dataset.id, source: "import", status: "completed" } });
  expect(await importJudgments(prisma, { datasetId: dataset.id, judgeId: judgeA.id, runId: runA.id }, rowsA)).toMatchObject({ inserted: 25, rejected: [] });
  expect(await importJudgments(prisma, { datasetId: dataset.id, judgeId: judgeB.id, runId: runB.id }, rowsB)).toMatchObject({ inserted: 25, rejected: [] });
  // Judge A's judgments under an older template version (all NO) and nothing for sample 1: the
  // list shows only the judge's current template version, so none of these may count.
  const oldRows: TJudgmentRow[] = Array.from({ length: N }, (_, i) => ({ line: i + 1, ...ref(i), verdict: "NO" }));
  await importJudgments(prisma, { datasetId: dataset.id, judgeId: judgeA.id, templateVersion: "v0" }, oldRows);
  await prisma.judgment.createMany({ data: ids.map((responseId) => ({ responseId, judgeId: judgeB.id, sample: 1, verdict: "UNPARSEABLE" as const })) });

  // Other dataset: A and C say YES everywhere, labels correct.
  for (const judge of [judgeA, judgeC]) {
    const run = await prisma.judgeRun.create({ data: { judgeId: judge.id, datasetId: other.id, source: "import" } });
    await importJudgments(prisma, { datasetId: other.id, judgeId: judge.id, runId: run.id }, otherItems.map((o) => ({ ...o, verdict: "YES" as const })));
  }

  const labelRows: TLabelRow[] = [];
  for (let i = 0; i < N; i++) for (const l of labelsOf(i)) labelRows.push({ line: labelRows.length + 1, ...ref(i), ...l, note: `${l.annotator} on ${i}` });
  await prisma.$transaction(async (tx) => {
    expect(await importLabels(tx, { datasetId: dataset.id, importedById: null }, labelRows)).toMatchObject({ rejected: [] });
    await importLabels(tx, { datasetId: other.id, importedById: null }, otherItems.map((o) => ({ ...o, annotator: "a1", value: "correct" as const })));
  });

  const columns = await judgeColumns(dataset.id);
  return { datasetId: dataset.id, otherDatasetId: other.id, judgeA: judgeA.id, judgeB: judgeB.id, judgeC: judgeC.id, ids, columns };
}

type TPivot = { id: number; question: string; response: string; gold: string | null; a: string | null; hasA: boolean; b: string | null; hasB: boolean };

/** Independent of lib/judgments/where.ts: one row per response with each judge's current judgment. */
function pivot(w: TWorld) {
  return prisma.$queryRaw<TPivot[]>`
    SELECT r.id, q.text AS question, r.text AS response, r.gold_label::text AS gold,
      ja.verdict::text AS a, ja.id IS NOT NULL AS "hasA", jb.verdict::text AS b, jb.id IS NOT NULL AS "hasB"
    FROM responses r
    JOIN questions q ON q.id = r.question_id
    LEFT JOIN judgments ja ON ja.response_id = r.id AND ja.judge_id = ${w.judgeA} AND ja.template_version = '' AND ja.sample = 0
    LEFT JOIN judgments jb ON jb.response_id = r.id AND jb.judge_id = ${w.judgeB} AND jb.template_version = '' AND jb.sample = 0
    WHERE r.dataset_id = ${w.datasetId}
    ORDER BY r.id`;
}

function filtersOf(params: Record<string, string | string[]>): TJudgmentFilters {
  const result = parseJudgmentFilters(params);
  if (!result.success) throw new Error(result.error.message);
  return result.data;
}

/** All ids of a filter, page by page with a small page size; checks each page's shape. */
async function walk(filters: TJudgmentFilters, columns: TJudgeColumn[], limit: number): Promise<number[]> {
  const seen: number[] = [];
  let after: number | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listJudgments({ ...filters, after }, columns, limit);
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    seen.push(...page.rows.map((r) => r.id));
    if (page.nextCursor === null) return seen;
    expect(page.rows).toHaveLength(limit);
    expect(page.nextCursor).toBe(page.rows.at(-1)!.id);
    after = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

/**
 * All ids of a filter from its last page back to its first by the previous-page cursor: each page
 * full and in id order; the first page reached as the list without a cursor shows it.
 */
async function walkBack(filters: TJudgmentFilters, columns: TJudgeColumn[], limit: number): Promise<number[]> {
  let page = await listJudgments(filters, columns, limit);
  while (page.nextCursor !== null) page = await listJudgments({ ...filters, after: page.nextCursor }, columns, limit);
  const pages = [page.rows.map((r) => r.id)];
  for (let n = 0; n < 100; n++) {
    if (page.prevCursor === null) return pages.reverse().flat();
    const before = page.prevCursor;
    expect(before).toBe(page.rows[0]!.id);
    page = await listJudgments({ ...filters, before }, columns, limit);
    const ids = page.rows.map((r) => r.id);
    expect(ids).toHaveLength(limit);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    if (page.prevCursor !== null) expect(ids.at(-1)).toBeLessThan(before);
    // the next page of a previous page is the page it was reached from
    expect(page.nextCursor).toBe(ids.at(-1));
    pages.push(ids);
  }
  throw new Error("pagination back did not end");
}

let w: TWorld;
let rows: TPivot[];

beforeEach(async () => {
  await resetDb();
  w = await build();
  rows = await pivot(w);
});

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const lower = (s: string) => s.toLowerCase();
const disagree = (x: string | null, y: string | null) => (x === "YES" || x === "NO") && (y === "YES" || y === "NO") && x !== y;
const disagreeGold = (v: string | null, gold: string | null) => (v === "YES" && gold === "incorrect") || (v === "NO" && gold === "correct");

describe("judgments list, count and export", () => {
  it("has the pattern it was built with", () => {
    expect(w.columns.map((c) => c.name)).toEqual(["Judge A", "Judge B"]);
    expect(w.columns.map((c) => c.id)).toEqual([w.judgeA, w.judgeB]);
    expect(rows).toHaveLength(N);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (let i = 0; i < N; i++) {
      const r = byId.get(w.ids[i]!)!;
      const a = verdictA(i);
      expect([r.hasA, r.a], `A on ${i}`).toEqual(a === "ERROR" ? [true, null] : [a !== null, a]);
      expect([r.hasB, r.b], `B on ${i}`).toEqual([verdictB(i) !== null, verdictB(i)]);
    }
  });

  // [name, URL parameters, predicate over the pivot, the indexes i worked out by hand]
  const cases: [string, (w: TWorld) => Record<string, string | string[]>, (r: TPivot) => boolean, number[]][] = [
    ["no filter", () => ({}), () => true, Array.from({ length: N }, (_, i) => i)],
    // A: i % 5 in {0, 4}
    ["A YES", (w) => ({ verdict: `${w.judgeA}:YES` }), (r) => r.a === "YES", [0, 4, 5, 9, 10, 14, 15, 19, 20, 24, 25, 29]],
    ["A NO", (w) => ({ verdict: `${w.judgeA}:NO` }), (r) => r.a === "NO", [1, 6, 11, 16, 21, 26]],
    ["A UNPARSEABLE", (w) => ({ verdict: `${w.judgeA}:UNPARSEABLE` }), (r) => r.a === "UNPARSEABLE", [2, 7, 12, 17, 22, 27]],
    // i % 5 = 3 without 28, whose failed call is a judgment (with no verdict)
    ["A NONE", (w) => ({ verdict: `${w.judgeA}:NONE` }), (r) => !r.hasA, [3, 8, 13, 18, 23]],
    // the failed call: a judgment without a verdict
    ["A FAILED", (w) => ({ verdict: `${w.judgeA}:FAILED` }), (r) => r.hasA && r.a === null, [28]],
    ["B FAILED", (w) => ({ verdict: `${w.judgeB}:FAILED` }), (r) => r.hasB && r.b === null, []],
    ["B YES", (w) => ({ verdict: `${w.judgeB}:YES` }), (r) => r.b === "YES", [0, 3, 6, 9, 12, 15, 18, 21, 24, 27]],
    ["B NO", (w) => ({ verdict: `${w.judgeB}:NO` }), (r) => r.b === "NO", [1, 4, 7, 10, 13, 16, 19, 22, 25, 28]],
    ["B UNPARSEABLE", (w) => ({ verdict: `${w.judgeB}:UNPARSEABLE` }), (r) => r.b === "UNPARSEABLE", [5, 11, 17, 23, 29]],
    ["B NONE", (w) => ({ verdict: `${w.judgeB}:NONE` }), (r) => !r.hasB, [2, 8, 14, 20, 26]],
    ["A YES and B NO", (w) => ({ verdict: [`${w.judgeA}:YES`, `${w.judgeB}:NO`] }), (r) => r.a === "YES" && r.b === "NO", [4, 10, 19, 25]],
    ["A NONE and B NONE", (w) => ({ verdict: [`${w.judgeA}:NONE`, `${w.judgeB}:NONE`] }), (r) => !r.hasA && !r.hasB, [8]],
    // A YES & B NO: 4 10 19 25; A NO & B YES: 6 21
    ["disagree A:B", (w) => ({ disagree: `${w.judgeA}:${w.judgeB}` }), (r) => disagree(r.a, r.b), [4, 6, 10, 19, 21, 25]],
    ["disagree B:A", (w) => ({ disagree: `${w.judgeB}:${w.judgeA}` }), (r) => disagree(r.a, r.b), [4, 6, 10, 19, 21, 25]],
    // A YES & gold incorrect (i % 4 = 1): 5 9 25 29; A NO & gold correct (i % 4 = 0): 16
    ["disagree A:expert", (w) => ({ disagree: `${w.judgeA}:expert` }), (r) => disagreeGold(r.a, r.gold), [5, 9, 16, 25, 29]],
    ["disagree expert:A", (w) => ({ disagree: `expert:${w.judgeA}` }), (r) => disagreeGold(r.a, r.gold), [5, 9, 16, 25, 29]],
    // B YES & incorrect: 9 21; B NO & correct: 4 16 28
    ["disagree B:expert", (w) => ({ disagree: `${w.judgeB}:expert` }), (r) => disagreeGold(r.b, r.gold), [4, 9, 16, 21, 28]],
    ["label correct", () => ({ label: "correct" }), (r) => r.gold === "correct", [0, 4, 8, 12, 16, 20, 24, 28]],
    ["label incorrect", () => ({ label: "incorrect" }), (r) => r.gold === "incorrect", [1, 5, 9, 13, 17, 21, 25, 29]],
    ["label unsure", () => ({ label: "unsure" }), (r) => r.gold === "unsure", [7, 15, 23]],
    // ties (i % 4 = 2) and unlabelled (i % 8 = 3)
    ["label none", () => ({ label: "none" }), (r) => r.gold === null, [2, 3, 6, 10, 11, 14, 18, 19, 22, 26, 27]],
    // gold correct (i % 4 = 0) or incorrect (i % 4 = 1)
    ["label decided", () => ({ label: "decided" }), (r) => r.gold === "correct" || r.gold === "incorrect", [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29]],
    ["label undecided", () => ({ label: "undecided" }), (r) => r.gold === null || r.gold === "unsure", [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27]],
    // B's soft reward is 0.75 where it says YES (i % 3 = 0), 0.25 where it says NO (i % 3 = 1) or
    // gave an unparseable reply (i % 6 = 5): bands are [lo, hi), closed at 1, whatever the verdict
    ["reward B 0.7-0.8", (w) => ({ reward: `${w.judgeB}:0.7-0.8` }), (r) => r.b === "YES", [0, 3, 6, 9, 12, 15, 18, 21, 24, 27]],
    ["reward B 0.75-1", (w) => ({ reward: `${w.judgeB}:0.75-1` }), (r) => r.b === "YES", [0, 3, 6, 9, 12, 15, 18, 21, 24, 27]],
    ["reward B 0-0.75", (w) => ({ reward: `${w.judgeB}:0-0.75` }), (r) => r.b === "NO" || r.b === "UNPARSEABLE", [1, 4, 5, 7, 10, 11, 13, 16, 17, 19, 22, 23, 25, 28, 29]],
    ["reward A 0-1 (A gives no soft reward)", (w) => ({ reward: `${w.judgeA}:0-1` }), () => false, []],
    // a1 correct + a2 incorrect: i % 4 = 2 (the ties, no gold label, none adjudicated)
    ["label disputed", () => ({ label: "disputed" }), (r) => w.ids.indexOf(r.id) % 4 === 2, [2, 6, 10, 14, 18, 22, 26]],
    // question 2 (responses 6 7 8) and response 13, whatever the case
    ["q in question and response", () => ({ q: "washington" }), (r) => lower(r.question + "\n" + r.response).includes("washington"), [6, 7, 8, 13]],
    ["q upper case", () => ({ q: "WASHINGTON" }), (r) => lower(r.question + "\n" + r.response).includes("washington"), [6, 7, 8, 13]],
    ["q only in responses", () => ({ q: "answer 2" }), (r) => r.response.includes("answer 2"), [2, 21, 22, 23, 24, 27, 28, 29]],
    // literal 5_%: response 10 and question 5 (15 16 17); not 11 "5x%y" nor 20 "50 percent"
    ["q with % and _", () => ({ q: "5_%" }), (r) => (r.question + "\n" + r.response).includes("5_%"), [10, 15, 16, 17]],
    ["q of a lone %", () => ({ q: "%" }), (r) => (r.question + "\n" + r.response).includes("%"), [10, 11, 15, 16, 17]],
    ["q of a lone _", () => ({ q: "_" }), (r) => (r.question + "\n" + r.response).includes("_"), [10, 15, 16, 17]],
    ["q with a backslash", () => ({ q: "a\\b" }), (r) => r.response.includes("a\\b"), [25]],
    ["q matching nothing", () => ({ q: "zebra" }), () => false, []],
    ["label + verdict", (w) => ({ label: "incorrect", verdict: `${w.judgeA}:YES` }), (r) => r.gold === "incorrect" && r.a === "YES", [5, 9, 25, 29]],
    ["q + verdict", (w) => ({ q: "5_%", verdict: `${w.judgeA}:YES` }), (r) => (r.question + "\n" + r.response).includes("5_%") && r.a === "YES", [10, 15]],
    ["q + disagreement + label", (w) => ({ q: "answer", disagree: `${w.judgeB}:expert`, label: "correct" }), (r) => r.response.includes("answer") && disagreeGold(r.b, r.gold) && r.gold === "correct", [4, 16, 28]],
  ];

  it.each(cases)("filter %s: count, list and keyset pages agree with SQL and by-hand", async (_, params, predicate, byHand) => {
    const filters = filtersOf({ dataset: String(w.datasetId), ...params(w) });
    const expected = rows.filter(predicate).map((r) => r.id);
    // the SQL pivot and the hand count say the same
    expect(expected).toEqual(sorted(byHand.map((i) => w.ids[i]!)));

    expect(await countJudgments(filters, w.columns)).toBe(expected.length);
    const all = await listJudgments(filters, w.columns, 1000);
    expect(all.rows.map((r) => r.id)).toEqual(expected);
    expect(all.nextCursor).toBeNull();
    // a cursor does not change the count
    expect(await countJudgments({ ...filters, after: expected[1] ?? 1 }, w.columns)).toBe(expected.length);
    for (const limit of [1, 4]) {
      // every matching response exactly once, in id order
      expect(await walk(filters, w.columns, limit)).toEqual(expected);
      // and back: the same pages from the last to the first
      expect(await walkBack(filters, w.columns, limit)).toEqual(expected);
    }
  });

  it("an adjudicated dispute leaves the experts-disagree filter, whatever the decision", async () => {
    const filters = filtersOf({ dataset: String(w.datasetId), label: "disputed" });
    await prisma.adjudication.create({ data: { responseId: w.ids[6]!, value: "incorrect" } });
    await prisma.adjudication.create({ data: { responseId: w.ids[0]!, value: "correct" } }); // not disputed: nothing to leave
    const expected = [2, 10, 14, 18, 22, 26].map((i) => w.ids[i]!);
    expect((await listJudgments(filters, w.columns, 100)).rows.map((r) => r.id)).toEqual(expected);
    expect(await countJudgments(filters, w.columns)).toBe(expected.length);
  });

  it("a previous page that reaches the first match is the first page, full", async () => {
    const filters = filtersOf({ dataset: String(w.datasetId) });
    const first = await listJudgments(filters, w.columns, 4);
    expect(first.prevCursor).toBeNull();
    // before the 3rd response: two responses precede it, so the page shown is the first one, of four
    const back = await listJudgments({ ...filters, before: rows[2]!.id }, w.columns, 4);
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.prevCursor).toBeNull();
    expect(back.back).toBe(false); // it is the first page, read forward
    expect(back.nextCursor).toBe(first.nextCursor);
    // a page after a cursor has a previous page before its first row
    const second = await listJudgments({ ...filters, after: first.nextCursor! }, w.columns, 4);
    expect(second.prevCursor).toBe(second.rows[0]!.id);
    const third = await listJudgments({ ...filters, after: second.nextCursor! }, w.columns, 4);
    const backToSecond = await listJudgments({ ...filters, before: third.prevCursor! }, w.columns, 4);
    expect(backToSecond).toMatchObject({ back: true, rows: second.rows });
  });

  it("refuses a page both after and before a response", () => {
    const parsed = parseJudgmentFilters({ dataset: String(w.datasetId), after: "3", before: "9" });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(["before"]);
  });

  it("lists each row with its cells and gold label", async () => {
    const page = await listJudgments(filtersOf({ dataset: String(w.datasetId) }), w.columns, 50);
    const byId = new Map(page.rows.map((r) => [r.id, r]));
    // response 1: A NO, B NO, gold incorrect, multi-line text with its final step
    expect(byId.get(w.ids[1]!)).toEqual({
      id: w.ids[1],
      question: "question 0",
      response: "Let me think.\nfinal answer 1",
      finalStep: "final answer 1",
      policyModel: "m",
      sampleIndex: 1,
      goldLabel: "incorrect",
      cells: {
        [w.judgeA]: { verdict: "NO", softReward: null, error: null },
        [w.judgeB]: { verdict: "NO", softReward: 0.25, error: null },
      },
    });
    // response 28: A's failed call, B NO; response 8: no judgment of either
    expect(byId.get(w.ids[28]!)!.cells).toEqual({
      [w.judgeA]: { verdict: null, softReward: null, error: "timeout" },
      [w.judgeB]: { verdict: "NO", softReward: 0.25, error: null },
    });
    expect(byId.get(w.ids[8]!)!.cells).toEqual({});
    // other datasets' responses never appear
    const other = await prisma.response.findMany({ where: { datasetId: w.otherDatasetId }, select: { id: true } });
    for (const o of other) expect(byId.has(o.id)).toBe(false);
  });

  it("exports one JSON line per matching response with verdicts by judge name and the labels", async () => {
    for (const params of [{}, { verdict: `${w.judgeA}:YES` }, { q: "5_%" }, { label: "none" }] as Record<string, string>[]) {
      const filters = filtersOf({ dataset: String(w.datasetId), ...params });
      const lines: string[] = [];
      for await (const line of exportJudgmentLines(filters, w.columns)) lines.push(line);
      expect(lines.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const expectedIds = (await listJudgments(filters, w.columns, 1000)).rows.map((r) => r.id);
      expect(records.map((r) => r.response_id)).toEqual(expectedIds);
      expect(records.length).toBe(await countJudgments(filters, w.columns));
    }

    // Every field of every line of the unfiltered export, against the pattern.
    const lines: string[] = [];
    for await (const line of exportJudgmentLines(filtersOf({ dataset: String(w.datasetId) }), w.columns)) lines.push(line);
    expect(lines).toHaveLength(N);
    const byId = new Map(lines.map((l) => JSON.parse(l) as { response_id: number }).map((r) => [r.response_id, r]));
    const gold = new Map(rows.map((r) => [r.id, r.gold]));
    for (let i = 0; i < N; i++) {
      const id = w.ids[i]!;
      const judgments: Record<string, unknown> = {};
      const a = verdictA(i);
      if (a === "ERROR") judgments["Judge A"] = { verdict: null, p_yes: null, p_no: null, soft_reward: null, raw_output: null, error: "timeout" };
      else if (a) judgments["Judge A"] = { verdict: a, p_yes: null, p_no: null, soft_reward: null, raw_output: a === "UNPARSEABLE" ? "maybe?" : a.toLowerCase(), error: null };
      const b = verdictB(i);
      if (b) {
        const p = b === "YES" ? 0.75 : 0.25;
        judgments["Judge B"] = { verdict: b, p_yes: p, p_no: 1 - p, soft_reward: p, raw_output: null, error: null };
      }
      expect(byId.get(id), `line of response ${i}`).toEqual({
        response_id: id,
        question_id: expect.any(Number),
        question: questionText(Math.floor(i / 3)),
        reference: `reference ${Math.floor(i / 3)}`,
        response: responseText(i),
        final_step: responseText(i).split("\n").at(-1),
        policy_model: "m",
        sample_index: i % 3,
        external_id: null,
        expert_label: gold.get(id),
        expert_labels: labelsOf(i).map((l) => ({ annotator: l.annotator, studio_user_id: null, value: l.value, note: `${l.annotator} on ${i}` })),
        judgments,
      });
    }
    // the gold labels of the export, by hand: 8 correct, 8 incorrect, 3 unsure, 11 none
    const golds = [...byId.values()].map((r) => (r as unknown as { expert_label: string | null }).expert_label ?? "none");
    expect(Object.fromEntries(["correct", "incorrect", "unsure", "none"].map((g) => [g, golds.filter((x) => x === g).length]))).toEqual({
      correct: 8,
      incorrect: 8,
      unsure: 3,
      none: 11,
    });
  });

  it("exports a label made in the studio under its expert's name, with the user's id", async () => {
    const expert = await createUser(prisma, { name: "Dr. Ada", email: "ada@example.com", password: "a-long-password-ada", role: "expert" });
    await setExpertLabel(prisma, expert, { responseId: w.ids[29]!, value: "incorrect", note: "off by one", expectedVersion: null });
    const lines: string[] = [];
    for await (const line of exportJudgmentLines(filtersOf({ dataset: String(w.datasetId) }), w.columns)) lines.push(line);
    const record = lines.map((l) => JSON.parse(l) as { response_id: number; expert_labels: unknown[] }).find((r) => r.response_id === w.ids[29]);
    expect(record!.expert_labels).toContainEqual({ annotator: "Dr. Ada", studio_user_id: expert.id, value: "incorrect", note: "off by one" });
  });

  it("shows only the judges of the dataset, and a verdict filter on another judge finds nothing here", async () => {
    expect((await judgeColumns(w.otherDatasetId)).map((c) => c.name)).toEqual(["Judge A", "Judge C"]);
    const filters = filtersOf({ dataset: String(w.datasetId), verdict: `${w.judgeC}:YES` });
    expect(await countJudgments(filters, w.columns)).toBe(0);
    // ... and "C has no judgment" is every response of the dataset
    expect(await countJudgments(filtersOf({ dataset: String(w.datasetId), verdict: `${w.judgeC}:NONE` }), w.columns)).toBe(N);
    // the other dataset: 3 responses, all A YES and gold correct
    expect(await countJudgments(filtersOf({ dataset: String(w.otherDatasetId), verdict: `${w.judgeA}:YES`, label: "correct" }), w.columns)).toBe(3);
  });
});
