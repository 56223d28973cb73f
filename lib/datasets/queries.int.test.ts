// The datasets list's counts against counting in SQL: a small dataset counted now, a large one
// from its parts per chunk of responses (lib/stats/overview-queries.ts responseCounts), after
// changes of each kind the parts must follow; and a dataset being deleted, counted now.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFixture, type TFixture } from "@/tests/analytics-fixture";
import { resetDb, testDb } from "@/tests/db";
import { setExpertLabel } from "@/lib/labels/set-label";
import { importItems } from "@/lib/io/import-items";
import { COUNTED_IN_PARTS_FROM, QUESTION_PAGE_CHARS, listDatasetNames, listDatasets, listQuestions, type TQuestionWithResponses } from "./queries";

const prisma = testDb();
let fx: TFixture;
const threshold = COUNTED_IN_PARTS_FROM.responses;

beforeAll(async () => {
  await resetDb();
  fx = await buildFixture(prisma);
  await prisma.user.create({ data: { id: "expert", name: "Expert", email: "expert@example.test", role: "expert" } });
});

afterAll(() => {
  COUNTED_IN_PARTS_FROM.responses = threshold;
});

/** The list's counts of every dataset against SQL's. */
async function expectCountsAsSql() {
  const listed = await listDatasets();
  const sql = await prisma.$queryRaw<{ id: number; questions: number; responses: number; labeled: number }[]>`
    SELECT d.id, (SELECT count(*)::int FROM questions q WHERE q.dataset_id = d.id) AS questions,
      (SELECT count(*)::int FROM responses r WHERE r.dataset_id = d.id) AS responses,
      (SELECT count(*)::int FROM responses r WHERE r.dataset_id = d.id AND r.gold_label IS NOT NULL) AS labeled
    FROM datasets d ORDER BY d.id`;
  expect(listed.map(({ id, questions, responses, labeled }) => ({ id, questions, responses, labeled })).sort((a, b) => a.id - b.id)).toEqual(sql);
  return listed;
}

const storedCount = async (datasetId: number) =>
  (await prisma.analyticsSnapshot.findUnique({ where: { datasetId_key: { datasetId, key: "response-counts" } }, select: { computedAt: true, payload: true } })) ?? null;

describe("the datasets list's counts", () => {
  it("counts a small dataset now, and a large one from its parts, following every change", async () => {
    // Nothing counted in parts yet: every dataset counted now, nothing stored.
    COUNTED_IN_PARTS_FROM.responses = 100;
    await expectCountsAsSql();
    expect(await storedCount(fx.datasetId)).toBeNull();

    // Once counted in parts (as the analytics warm-up does), a dataset that large is listed from
    // its parts; the other (15 questions' responses) stays below the threshold.
    const { responseCounts } = await import("@/lib/stats/overview-queries");
    await responseCounts(fx.datasetId);
    await responseCounts(fx.otherDatasetId);
    expect((await storedCount(fx.datasetId))!.payload).toMatchObject({ responses: expect.any(Number) });
    const before = (await storedCount(fx.datasetId))!.computedAt;
    await expectCountsAsSql();

    // A label, and new responses: the list counts them, recomputing the parts it reads.
    const [response] = await prisma.response.findMany({ where: { datasetId: fx.datasetId, goldLabel: null }, take: 1, select: { id: true } });
    await setExpertLabel(prisma, { id: "expert" }, { responseId: response!.id, value: "correct", note: "", expectedVersion: null });
    await expectCountsAsSql();
    expect((await storedCount(fx.datasetId))!.computedAt.getTime()).toBeGreaterThan(before.getTime());
    await importItems(prisma, fx.datasetId, [
      { line: 1, question: "a new question", reference: "r", response: "one", policyModel: "p", sampleIndex: 0 },
      { line: 2, question: "a new question", reference: "r", response: "two", policyModel: "p", sampleIndex: 1 },
    ]);
    await expectCountsAsSql();
    // Deleted responses too.
    await prisma.response.deleteMany({ where: { datasetId: fx.datasetId, text: { in: ["one"] } } });
    await expectCountsAsSql();
  });

  it("counts a dataset being deleted now, its stored count aside", async () => {
    COUNTED_IN_PARTS_FROM.responses = 1;
    await prisma.dataset.update({ where: { id: fx.datasetId }, data: { deletingAt: new Date() } });
    try {
      const stored = (await storedCount(fx.datasetId))!.computedAt;
      await prisma.response.deleteMany({ where: { datasetId: fx.datasetId, text: { in: ["two"] } } });
      await expectCountsAsSql();
      expect((await storedCount(fx.datasetId))!.computedAt).toEqual(stored); // not computed again
    } finally {
      await prisma.dataset.update({ where: { id: fx.datasetId }, data: { deletingAt: null } });
    }
  });
});

describe("the datasets to pick from", () => {
  it("are newest first with those without responses last, so that a page opens on one with data", async () => {
    const empty = await prisma.dataset.create({ data: { name: "empty, newest" }, select: { id: true } });
    const names = await listDatasetNames();
    expect(names.at(-1)).toEqual({ id: empty.id, name: "empty, newest" });
    const withData = await prisma.$queryRaw<{ id: number }[]>`
      SELECT d.id FROM datasets d WHERE EXISTS (SELECT 1 FROM responses r WHERE r.dataset_id = d.id) ORDER BY d.created_at DESC, d.id DESC`;
    expect(names.slice(0, -1).map((d) => d.id)).toEqual(withData.map((d) => d.id));
    expect(withData.length).toBeGreaterThan(0);
  });
});

describe("a dataset's page of questions", () => {
  it("cuts long texts in the database and says how many characters are left out, counted as code points", async () => {
    const dataset = await prisma.dataset.create({ data: { name: "long texts" }, select: { id: true } });
    const { question: qChars, response: rChars } = QUESTION_PAGE_CHARS;
    // Characters outside the BMP: two UTF-16 units each, one character to Postgres and to a reader.
    const longQuestion = "🙂".repeat(qChars + 7);
    const longResponse = "ab".repeat(rChars) + "🙂";
    await importItems(prisma, dataset.id, [
      { line: 1, question: longQuestion, reference: "short", response: longResponse, policyModel: "p", sampleIndex: 1 },
      { line: 2, question: longQuestion, reference: "short", response: "brief", policyModel: "p", sampleIndex: 0 },
      { line: 3, question: "second", reference: "r", response: "x".repeat(rChars), policyModel: "p", sampleIndex: 0 },
      { line: 4, question: "third", reference: "r", response: "y", policyModel: "p", sampleIndex: 0 },
    ]);
    const first = await listQuestions(dataset.id, { limit: 2 });
    expect(first.questions.map((q) => q.text.start.slice(0, 6))).toEqual(["🙂🙂🙂", "second"]);
    const [long, second] = first.questions as [TQuestionWithResponses, TQuestionWithResponses];
    expect(long.text).toEqual({ start: "🙂".repeat(qChars), more: 7 });
    expect(long.reference).toEqual({ start: "short", more: 0 });
    // Responses in sample order, each cut on its own; the longer one has its last 480 characters left out.
    expect(long.responses.map((r) => [r.sampleIndex, r.text])).toEqual([
      [0, { start: "brief", more: 0 }],
      [1, { start: longResponse.slice(0, rChars), more: rChars + 1 }],
    ]);
    // Exactly as long as the cut: nothing left out.
    expect(second.responses[0]!.text).toEqual({ start: "x".repeat(rChars), more: 0 });
    // The next page, by the cursor.
    expect(first.nextCursor).toBe(second.id);
    const next = await listQuestions(dataset.id, { after: first.nextCursor!, limit: 2 });
    expect(next.questions.map((q) => q.text.start)).toEqual(["third"]);
    expect(next.nextCursor).toBeNull();
  });
});
