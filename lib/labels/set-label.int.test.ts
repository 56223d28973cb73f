// setExpertLabel against a real database: versions, history, gold label, audit, optimistic
// concurrency (stale and truly concurrent saves) and the gold label's majority rule end to end.
// Expected values are worked out by hand from the steps of each test (see the comments).
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { AppError } from "@/lib/errors";
import { importItems } from "@/lib/io/import-items";
import { importLabels } from "@/lib/io/import-labels";
import { createUser } from "@/lib/users/create";
import { setExpertLabel } from "./set-label";

const prisma = testDb();

type TSetup = { datasetId: number; responseIds: number[]; expert: { id: string }; other: { id: string } };

/** A dataset with `n` questions, each with one response ("answer i" to "question i"), and two experts. */
async function setup(n = 3): Promise<TSetup> {
  const dataset = await prisma.dataset.create({ data: { name: "labels" } });
  const rows = Array.from({ length: n }, (_, i) => ({
    line: i + 1,
    question: `question ${i}`,
    reference: `reference ${i}`,
    response: `answer ${i}`,
  }));
  await importItems(prisma, dataset.id, rows);
  const responses = await prisma.response.findMany({ where: { datasetId: dataset.id }, orderBy: { id: "asc" }, select: { id: true } });
  const expert = await createUser(prisma, { name: "Ex Pert", email: "expert@example.com", password: "a-long-password-1", role: "expert" });
  const other = await createUser(prisma, { name: "Other", email: "other@example.com", password: "a-long-password-2", role: "expert" });
  return { datasetId: dataset.id, responseIds: responses.map((r) => r.id), expert, other };
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the call to throw");
}

const gold = async (responseId: number) =>
  (await prisma.response.findUniqueOrThrow({ where: { id: responseId }, select: { goldLabel: true } })).goldLabel;

const historyOf = (responseId: number) =>
  prisma.expertLabelHistory.findMany({ where: { responseId }, orderBy: { id: "asc" } });

/** Everything a label save may touch, for "nothing changed" checks. */
async function snapshot(responseId: number) {
  const [labels, history, audits, response] = await Promise.all([
    prisma.expertLabel.findMany({ where: { responseId }, orderBy: { id: "asc" }, select: { annotator: true, value: true, note: true, version: true } }),
    prisma.expertLabelHistory.count({ where: { responseId } }),
    prisma.auditEvent.count({ where: { action: "label.set" } }),
    prisma.response.findUniqueOrThrow({ where: { id: responseId }, select: { goldLabel: true } }),
  ]);
  return { labels, history, audits, gold: response.goldLabel };
}

beforeEach(async () => {
  await resetDb();
});

describe("setExpertLabel", () => {
  it("creates, changes, refuses a stale save and ignores a repeat", async () => {
    const { responseIds, expert } = await setup();
    const responseId = responseIds[0]!;

    // 1. first label: nothing seen before (expectedVersion null) -> version 1
    const created = await setExpertLabel(prisma, expert, { responseId, value: "correct", note: "  looks right  ", expectedVersion: null });
    expect(created).toMatchObject({ label: { value: "correct", note: "looks right", version: 1 }, changed: true });
    const label = await prisma.expertLabel.findUniqueOrThrow({ where: { responseId_annotator: { responseId, annotator: expert.id } } });
    expect(label).toMatchObject({ value: "correct", note: "looks right", version: 1, userId: expert.id, source: "studio" });
    let history = await historyOf(responseId);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      labelId: label.id,
      changedById: expert.id,
      oldValue: null,
      newValue: "correct",
      oldNote: null,
      newNote: "looks right",
      version: 1,
    });
    // one label "correct" -> majority "correct"
    expect(await gold(responseId)).toBe("correct");
    const audits = await prisma.auditEvent.findMany({ where: { action: "label.set" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: expert.id, entity: "response", entityId: String(responseId), data: { from: null, to: "correct", version: 1 } });

    // 2. change with the version read (1) -> version 2, history old -> new
    const changed = await setExpertLabel(prisma, expert, { responseId, value: "incorrect", note: "wrong year", expectedVersion: 1 });
    expect(changed).toMatchObject({ label: { value: "incorrect", note: "wrong year", version: 2 }, changed: true });
    history = await historyOf(responseId);
    expect(history).toHaveLength(2);
    expect(history[1]).toMatchObject({ oldValue: "correct", newValue: "incorrect", oldNote: "looks right", newNote: "wrong year", version: 2 });
    expect(await gold(responseId)).toBe("incorrect");
    expect(await prisma.auditEvent.count({ where: { action: "label.set" } })).toBe(2);
    // only one label row: the change updated it in place
    expect(await prisma.expertLabel.count({ where: { responseId } })).toBe(1);

    // 3. a stale save (still thinks version 1) is refused with the current label, and changes nothing
    const before = await snapshot(responseId);
    const stale = await caught(setExpertLabel(prisma, expert, { responseId, value: "unsure", note: "", expectedVersion: 1 }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.details).toEqual({ current: { value: "incorrect", note: "wrong year", version: 2 } });
    expect(await snapshot(responseId)).toEqual(before);

    // also stale: "I saw no label" while there is one
    const staleNull = await caught(setExpertLabel(prisma, expert, { responseId, value: "unsure", note: "", expectedVersion: null }));
    expect(staleNull.code).toBe("CONFLICT");
    expect(await snapshot(responseId)).toEqual(before);

    // 4. the same value and note again: a no-op (no new version, history row or audit event)
    const again = await setExpertLabel(prisma, expert, { responseId, value: "incorrect", note: "wrong year ", expectedVersion: 2 });
    expect(again).toMatchObject({ label: { value: "incorrect", note: "wrong year", version: 2 }, changed: false });
    expect(await snapshot(responseId)).toEqual(before);

    // a note-only change is a change
    const noteOnly = await setExpertLabel(prisma, expert, { responseId, value: "incorrect", note: "wrong year (1998)", expectedVersion: 2 });
    expect(noteOnly).toMatchObject({ label: { value: "incorrect", note: "wrong year (1998)", version: 3 }, changed: true });
    expect((await historyOf(responseId)).at(-1)).toMatchObject({ oldValue: "incorrect", newValue: "incorrect", oldNote: "wrong year", newNote: "wrong year (1998)", version: 3 });
  });

  it("lets exactly one of two concurrent saves of the same version through", async () => {
    const { responseIds, expert } = await setup();
    const responseId = responseIds[0]!;
    await setExpertLabel(prisma, expert, { responseId, value: "correct", note: "", expectedVersion: null });

    const results = await Promise.allSettled([
      setExpertLabel(prisma, expert, { responseId, value: "incorrect", note: "a", expectedVersion: 1 }),
      setExpertLabel(prisma, expert, { responseId, value: "unsure", note: "b", expectedVersion: 1 }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r) => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const error = failed[0]!.reason as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("CONFLICT");
    const winner = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof setExpertLabel>>>).value.label;
    expect(winner.version).toBe(2);
    // the loser is told what the winner wrote
    expect(error.details).toEqual({ current: winner });
    // history: the first save + exactly one of the two
    const history = await historyOf(responseId);
    expect(history).toHaveLength(2);
    expect(history[1]).toMatchObject({ oldValue: "correct", newValue: winner.value, version: 2 });
    expect(await prisma.expertLabel.findFirstOrThrow({ where: { responseId } })).toMatchObject({ value: winner.value, version: 2 });
  });

  it("lets exactly one of two concurrent first saves through (no label yet)", async () => {
    const { responseIds, expert } = await setup();
    const responseId = responseIds[0]!;
    const results = await Promise.allSettled([
      setExpertLabel(prisma, expert, { responseId, value: "correct", note: "", expectedVersion: null }),
      setExpertLabel(prisma, expert, { responseId, value: "incorrect", note: "", expectedVersion: null }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed).toHaveLength(1);
    const error = failed[0]!.reason as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("CONFLICT");
    const stored = await prisma.expertLabel.findFirstOrThrow({ where: { responseId } });
    expect(error.details).toEqual({ current: { value: stored.value, note: "", version: 1 } });
    expect(await prisma.expertLabelHistory.count({ where: { responseId } })).toBe(1);
  });

  it("keeps the gold label right when two experts label the same response at once", async () => {
    // correct vs incorrect is a tie: gold must end up null whatever the interleaving. Several
    // responses at once so that an unsafe interleaving is very likely to happen at least once.
    const { responseIds, expert, other } = await setup(8);
    await Promise.all(
      responseIds.flatMap((responseId) => [
        setExpertLabel(prisma, expert, { responseId, value: "correct", note: "", expectedVersion: null }),
        setExpertLabel(prisma, other, { responseId, value: "incorrect", note: "", expectedVersion: null }),
      ]),
    );
    const rows = await prisma.response.findMany({ where: { id: { in: responseIds } }, select: { goldLabel: true } });
    expect(rows.map((r) => r.goldLabel)).toEqual(responseIds.map(() => null));
    expect(await prisma.expertLabel.count()).toBe(2 * responseIds.length);
  });

  it("refuses an unknown response", async () => {
    const { responseIds, expert } = await setup();
    const error = await caught(setExpertLabel(prisma, expert, { responseId: Math.max(...responseIds) + 1000, value: "correct", note: "", expectedVersion: null }));
    expect(error.code).toBe("NOT_FOUND");
    expect(await prisma.expertLabel.count()).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "label.set" } })).toBe(0);
  });

  it("recomputes the gold label as the majority with imported labels", async () => {
    const { datasetId, responseIds, expert } = await setup(3);
    const [a, b, c] = responseIds as [number, number, number];
    // Imported labels of two other annotators:
    //   question 0 / answer 0: correct, incorrect       (tie -> no gold)
    //   question 1 / answer 1: incorrect, incorrect     (-> incorrect)
    //   question 2 / answer 2: unsure, unsure           (-> unsure: nobody said correct/incorrect)
    const imported = await prisma.$transaction((tx) =>
      importLabels(tx, { datasetId, importedById: null }, [
        { line: 1, question: "question 0", response: "answer 0", annotator: "annotator1", value: "correct" },
        { line: 2, question: "question 0", response: "answer 0", annotator: "annotator2", value: "incorrect" },
        { line: 3, question: "question 1", response: "answer 1", annotator: "annotator1", value: "incorrect" },
        { line: 4, question: "question 1", response: "answer 1", annotator: "annotator2", value: "incorrect" },
        { line: 5, question: "question 2", response: "answer 2", annotator: "annotator1", value: "unsure" },
        { line: 6, question: "question 2", response: "answer 2", annotator: "annotator2", value: "unsure" },
      ]),
    );
    expect(imported).toMatchObject({ read: 6, inserted: 6, skipped: 0, rejected: [] });
    expect([await gold(a), await gold(b), await gold(c)]).toEqual([null, "incorrect", "unsure"]);

    // The expert breaks the tie on a: correct 2 vs incorrect 1 -> correct
    await setExpertLabel(prisma, expert, { responseId: a, value: "correct", note: "", expectedVersion: null });
    expect(await gold(a)).toBe("correct");
    // ... and changes their mind: correct 1 vs incorrect 2 -> incorrect
    await setExpertLabel(prisma, expert, { responseId: a, value: "incorrect", note: "", expectedVersion: 1 });
    expect(await gold(a)).toBe("incorrect");
    // ... then says unsure: back to the 1:1 tie -> null (unsure does not break ties)
    await setExpertLabel(prisma, expert, { responseId: a, value: "unsure", note: "", expectedVersion: 2 });
    expect(await gold(a)).toBeNull();

    // b: incorrect 2 vs correct 1 -> still incorrect
    await setExpertLabel(prisma, expert, { responseId: b, value: "correct", note: "", expectedVersion: null });
    expect(await gold(b)).toBe("incorrect");

    // c: unsure, unsure + one correct -> correct (unsure votes count only when nobody decided)
    await setExpertLabel(prisma, expert, { responseId: c, value: "correct", note: "", expectedVersion: null });
    expect(await gold(c)).toBe("correct");

    // Independent check over every response: the stored gold equals a majority computed in SQL.
    const check = await prisma.$queryRaw<{ id: number; stored: string | null; expected: string | null }[]>`
      SELECT r.id, r.gold_label::text AS stored,
        CASE
          WHEN count(*) FILTER (WHERE l.value = 'correct') > count(*) FILTER (WHERE l.value = 'incorrect') THEN 'correct'
          WHEN count(*) FILTER (WHERE l.value = 'incorrect') > count(*) FILTER (WHERE l.value = 'correct') THEN 'incorrect'
          WHEN count(l.id) > 0 AND count(*) FILTER (WHERE l.value = 'correct') = 0 THEN 'unsure'
        END AS expected
      FROM responses r LEFT JOIN expert_labels l ON l.response_id = r.id
      WHERE r.dataset_id = ${datasetId}
      GROUP BY r.id ORDER BY r.id`;
    expect(check).toHaveLength(3);
    for (const row of check) expect(row.stored).toBe(row.expected);

    // Imported labels got their first history row; the studio label of a has three.
    expect(await prisma.expertLabelHistory.count({ where: { responseId: a } })).toBe(2 + 3);
  });
});
