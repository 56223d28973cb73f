// Queues against a real database: which items a source selects, hand-out with overlap (never
// more experts on an item than the overlap asks for, also when they ask at the same time),
// lapsed claims, skips, labels and undo through the queue, blind mode on the server.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { AppError } from "@/lib/errors";
import { createQueue } from "./create";
import { claimItems, unskipItems } from "./handout";
import { reviewItems } from "./items";
import { labelQueueItem, skipQueueItem, undoQueueLabel } from "./label";
import { countSource } from "./create";
import { reviewFixture } from "./test-fixture";

const prisma = testDb();

beforeEach(async () => {
  await resetDb();
});

async function queueOf(fx: Awaited<ReturnType<typeof reviewFixture>>, options: { filter?: string; overlap?: number; members?: string[]; blind?: boolean; band?: object; sample?: object } = {}) {
  return createQueue(prisma, fx.researcher, {
    name: "q",
    source: { filter: options.filter ?? `dataset=${fx.datasetId}`, ...(options.band ? { band: options.band } : {}), ...(options.sample ? { sample: options.sample } : {}) } as never,
    overlap: options.overlap ?? 1,
    blind: options.blind ?? true,
    memberIds: options.members ?? [fx.e1.id, fx.e2.id, fx.e3.id],
  });
}

const itemsOf = async (queueId: number) =>
  (await prisma.reviewItem.findMany({ where: { queueId }, orderBy: { position: "asc" }, select: { responseId: true } })).map((i) => i.responseId);

describe("queue sources", () => {
  it("takes a judgments filter (a confusion-matrix cell), a soft-score band and a seeded sample", async () => {
    const fx = await reviewFixture(prisma, 12);
    // 72B YES (even i) and 7B NO (i not divisible by 3): i in {2, 4, 8, 10}
    const cell = await queueOf(fx, { filter: `dataset=${fx.datasetId}&verdict=${fx.big.id}:YES&verdict=${fx.small.id}:NO` });
    expect(await itemsOf(cell.id)).toEqual([2, 4, 8, 10].map((i) => fx.ids[i]));

    // P(YES) of 72B = i / 11 in [0.3, 0.7]: i / 11 >= 0.3 -> i >= 3.3; <= 0.7 -> i <= 7.7: i in 4..7
    const band = await queueOf(fx, { band: { judgeId: fx.big.id, metric: "p_yes", min: 0.3, max: 0.7 } });
    expect(await itemsOf(band.id)).toEqual([4, 5, 6, 7].map((i) => fx.ids[i]));
    // The form's count says both: 4 in the band, of 12 the filter matches; a sample of 2 takes 2.
    const bandSource = { filter: `dataset=${fx.datasetId}`, band: { judgeId: fx.big.id, metric: "p_yes" as const, min: 0.3, max: 0.7 } };
    expect(await countSource(prisma, bandSource)).toEqual({ matched: 4, filterMatched: 12, items: 4 });
    expect(await countSource(prisma, { ...bandSource, sample: { mode: "size", size: 2, seed: 1 } })).toEqual({ matched: 4, filterMatched: 12, items: 2 });
    expect(await countSource(prisma, { filter: `dataset=${fx.datasetId}` })).toEqual({ matched: 12, filterMatched: 12, items: 12 });
    // The same band as the filter's reward parameter (a histogram bar's items): soft reward i / 11
    // in [0.3, 0.7) is i in 4..7, read under 72B's version (it had been read as no judgment at all).
    await prisma.$executeRaw`UPDATE judges SET template_version = 'v9' WHERE id = ${fx.big.id}`;
    await prisma.$executeRaw`UPDATE judgments SET template_version = 'v9' WHERE judge_id = ${fx.big.id}`;
    expect(await countSource(prisma, { filter: `dataset=${fx.datasetId}&reward=${fx.big.id}:0.3-0.7` })).toEqual({ matched: 4, filterMatched: 4, items: 4 });

    // 25% of 12 = 3 items, in md5(seed:id) order: the same seed gives the same items, checked
    // against the order computed independently in SQL here.
    const a = await queueOf(fx, { sample: { mode: "percent", percent: 25, seed: 42 } });
    const b = await queueOf(fx, { sample: { mode: "size", size: 3, seed: 42 } });
    const c = await queueOf(fx, { sample: { mode: "size", size: 3, seed: 43 } });
    const expected = await prisma.$queryRaw<{ id: number }[]>`
      SELECT id FROM responses WHERE dataset_id = ${fx.datasetId} ORDER BY md5('42:' || id::text) LIMIT 3`;
    expect(await itemsOf(a.id)).toEqual(expected.map((r) => r.id));
    expect(await itemsOf(b.id)).toEqual(await itemsOf(a.id));
    expect(await itemsOf(c.id)).not.toEqual(await itemsOf(a.id));
    expect(a.itemCount).toBe(3);
  });

  it("refuses an empty selection, non-experts and an overlap larger than the team", async () => {
    const fx = await reviewFixture(prisma, 4);
    const code = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as AppError).code;
    expect(await code(queueOf(fx, { filter: `dataset=${fx.datasetId}&q=nothing-matches-this` }))).toBe("INVALID");
    expect(await code(queueOf(fx, { members: [fx.viewer.id] }))).toBe("INVALID");
    expect(await code(queueOf(fx, { members: [fx.e1.id], overlap: 2 }))).toBe("INVALID");
    expect(await prisma.reviewQueue.count()).toBe(0);
  });
});

describe("hand-out with overlap", () => {
  it("overlap 1: two experts never get the same item; labels and skips free nothing for others", async () => {
    const fx = await reviewFixture(prisma, 6);
    const q = await queueOf(fx, { overlap: 1 });
    const a = await claimItems(prisma, fx.e1, q.id, { count: 2 });
    const b = await claimItems(prisma, fx.e2, q.id, { count: 2 });
    expect(a.responseIds).toEqual([fx.ids[0], fx.ids[1]]);
    expect(b.responseIds).toEqual([fx.ids[2], fx.ids[3]]);
    // Asking again returns what one holds (renewed), not new items.
    expect((await claimItems(prisma, fx.e1, q.id, { count: 2 })).responseIds).toEqual(a.responseIds);
    // ...unless the client says it has them already.
    expect((await claimItems(prisma, fx.e1, q.id, { count: 2, exclude: a.responseIds })).responseIds).toEqual([fx.ids[4], fx.ids[5]]);
    // Nothing is left for a third expert.
    expect((await claimItems(prisma, fx.e3, q.id, { count: 5 })).responseIds).toEqual([]);
  });

  it("overlap 2 with three experts asking at once: every item ends with exactly two labels", async () => {
    const fx = await reviewFixture(prisma, 9);
    const q = await queueOf(fx, { overlap: 2 });
    const experts = [fx.e1, fx.e2, fx.e3];
    // Each expert claims and labels until nothing is left, all three concurrently.
    const labeled = new Map<string, number[]>();
    await Promise.all(
      experts.map(async (expert) => {
        const mine: number[] = [];
        for (;;) {
          const { responseIds } = await claimItems(prisma, expert, q.id, { count: 2 });
          if (responseIds.length === 0) break;
          for (const responseId of responseIds) {
            await labelQueueItem(prisma, expert, { queueId: q.id, responseId, value: "correct", note: "", expectedVersion: null });
            mine.push(responseId);
          }
        }
        labeled.set(expert.id, mine);
      }),
    );
    const perItem = await prisma.$queryRaw<{ response_id: number; n: number }[]>`
      SELECT i.response_id, count(a.id)::int AS n FROM review_items i
      LEFT JOIN review_assignments a ON a.item_id = i.id AND a.state = 'done'
      WHERE i.queue_id = ${q.id} GROUP BY i.response_id ORDER BY i.response_id`;
    expect(perItem).toEqual(fx.ids.map((id) => ({ response_id: id, n: 2 })));
    // 9 items x 2 = 18 labels, no expert labeled an item twice
    expect(await prisma.expertLabel.count()).toBe(18);
    for (const mine of labeled.values()) expect(new Set(mine).size).toBe(mine.length);
  });

  it("a lapsed claim goes to the next expert; the late label is still saved", async () => {
    const fx = await reviewFixture(prisma, 2);
    const q = await queueOf(fx, { overlap: 1 });
    expect((await claimItems(prisma, fx.e1, q.id, { count: 1 })).responseIds).toEqual([fx.ids[0]]);
    await prisma.reviewAssignment.updateMany({ where: { userId: fx.e1.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await claimItems(prisma, fx.e2, q.id, { count: 1 })).responseIds).toEqual([fx.ids[0]]);
    const late = await labelQueueItem(prisma, fx.e1, { queueId: q.id, responseId: fx.ids[0]!, value: "incorrect", note: "", expectedVersion: null });
    expect(late.changed).toBe(true);
    expect(await prisma.expertLabel.count({ where: { responseId: fx.ids[0]!, annotator: fx.e1.id } })).toBe(1);
  });

  it("skips, unskips, and refuses non-members", async () => {
    const fx = await reviewFixture(prisma, 3);
    const q = await queueOf(fx, { members: [fx.e1.id] });
    await claimItems(prisma, fx.e1, q.id, { count: 3 });
    await skipQueueItem(prisma, fx.e1, { queueId: q.id, responseId: fx.ids[0]! });
    expect((await claimItems(prisma, fx.e1, q.id, { count: 3 })).responseIds).toEqual([fx.ids[1], fx.ids[2]]);
    expect(await unskipItems(prisma, fx.e1, q.id)).toEqual({ returned: 1 });
    // the items held come first, then the skipped one, handed out again
    expect((await claimItems(prisma, fx.e1, q.id, { count: 3 })).responseIds).toEqual([fx.ids[1], fx.ids[2], fx.ids[0]]);
    const refused = (await claimItems(prisma, fx.e2, q.id, { count: 1 }).catch((e: unknown) => e)) as AppError;
    expect(refused.code).toBe("FORBIDDEN");
    const label = (await labelQueueItem(prisma, fx.e2, { queueId: q.id, responseId: fx.ids[0]!, value: "correct", note: "", expectedVersion: null }).catch((e: unknown) => e)) as AppError;
    expect(label.code).toBe("FORBIDDEN");
    expect(await prisma.expertLabel.count()).toBe(0);
  });
});

describe("blind mode and undo in a queue", () => {
  it("hides judgments until the expert has labeled, and undo takes the label back with history", async () => {
    const fx = await reviewFixture(prisma, 2);
    const q = await queueOf(fx, { members: [fx.e1.id], blind: true });
    const { responseIds } = await claimItems(prisma, fx.e1, q.id, { count: 1 });
    const [before] = await reviewItems(prisma, fx.e1, responseIds, true);
    expect(before!.judgments).toBeNull();
    expect(JSON.stringify(before)).not.toMatch(/YES|NO"|pYes|72B/);

    const saved = await labelQueueItem(prisma, fx.e1, { queueId: q.id, responseId: responseIds[0]!, value: "correct", note: "n", expectedVersion: null });
    expect(saved.judgments!.map((j) => [j.judge, j.verdict])).toEqual([["72B (72B)", "YES"], ["7B (7B)", "YES"]]);
    const [after] = await reviewItems(prisma, fx.e1, responseIds, true);
    expect(after!.judgments).toHaveLength(2);
    // an open queue shows them at once
    const [open] = await reviewItems(prisma, fx.e2, responseIds, false);
    expect(open!.judgments).toHaveLength(2);

    // Undo: the label is removed, the item is held again, the history says so.
    const undone = await undoQueueLabel(prisma, fx.e1, { queueId: q.id, historyId: saved.historyId! });
    expect(undone.label).toBeNull();
    // With the item as the screen shows it (for a screen reloaded since the label): without its
    // label, the blind queue hides the judges again.
    expect(undone.item).toMatchObject({ responseId: responseIds[0], myLabel: null, judgments: null });
    expect(undone.item).toEqual(before);
    expect(await prisma.expertLabel.count()).toBe(0);
    const history = await prisma.expertLabelHistory.findMany({ where: { responseId: responseIds[0]! }, orderBy: { id: "asc" } });
    expect(history.map((h) => [h.oldValue, h.newValue, h.version, h.labelId, h.annotator])).toEqual([
      [null, "correct", 1, null, fx.e1.id],
      ["correct", null, 2, null, fx.e1.id],
    ]);
    expect((await prisma.reviewAssignment.findFirstOrThrow({ where: { userId: fx.e1.id } })).state).toBe("claimed");
    // Labeling again continues the versions (3), so a client still holding version 1 is refused.
    const again = await labelQueueItem(prisma, fx.e1, { queueId: q.id, responseId: responseIds[0]!, value: "incorrect", note: "", expectedVersion: null });
    expect(again.label.version).toBe(3);
    // Undoing an older change (no longer the newest) is refused with the current label.
    const stale = (await undoQueueLabel(prisma, fx.e1, { queueId: q.id, historyId: saved.historyId! }).catch((e: unknown) => e)) as AppError;
    expect(stale.code).toBe("CONFLICT");
    expect(stale.details).toEqual({ current: { value: "incorrect", note: "", version: 3 } });
    // Someone else's change cannot be undone by me.
    const foreign = (await undoQueueLabel(prisma, fx.e1, { queueId: q.id, historyId: again.historyId! + 1000 }).catch((e: unknown) => e)) as AppError;
    expect(foreign.code).toBe("NOT_FOUND");
  });
});
