// The queue page's figures against a real database: progress per queue and per expert, and the
// agreement between its experts (raw agreement and Cohen's kappa worked out by hand below).
import { beforeEach, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { createQueue } from "./create";
import { claimItems } from "./handout";
import { labelQueueItem, skipQueueItem } from "./label";
import { getQueue, listQueues } from "./queries";
import { reviewFixture } from "./test-fixture";

const prisma = testDb();

beforeEach(async () => {
  await resetDb();
});

it("shows progress per expert and the agreement between two experts", async () => {
  const fx = await reviewFixture(prisma, 5);
  const q = await createQueue(prisma, fx.researcher, {
    name: "pairs",
    source: { filter: `dataset=${fx.datasetId}` },
    overlap: 2,
    blind: true,
    memberIds: [fx.e1.id, fx.e2.id],
  });
  // Ada: correct, correct, incorrect, incorrect; Bob: correct, incorrect, incorrect, unsure (items 0-3).
  const ada = ["correct", "correct", "incorrect", "incorrect"] as const;
  const bob = ["correct", "incorrect", "incorrect", "unsure"] as const;
  for (const [expert, values] of [[fx.e1, ada], [fx.e2, bob]] as const) {
    await claimItems(prisma, expert, q.id, { count: 5 });
    for (const [i, value] of values.entries()) {
      await labelQueueItem(prisma, expert, { queueId: q.id, responseId: fx.ids[i]!, value, note: "", expectedVersion: null });
    }
  }
  await skipQueueItem(prisma, fx.e2, { queueId: q.id, responseId: fx.ids[4]! });

  const queue = (await getQueue(q.id, fx.e1.id))!;
  expect(queue.isMember).toBe(true);
  // 4 items have both labels (overlap 2 reached), 8 labels of 5 x 2 = 10
  expect(queue.itemsComplete).toBe(4);
  expect(queue.labelsDone).toBe(8);
  // Ada still holds item 4 (claimed, not labeled); Bob skipped it.
  expect(queue.members).toEqual([
    { userId: fx.e1.id, name: "Ada", done: 4, skipped: 0, holding: 1 },
    { userId: fx.e2.id, name: "Bob", done: 4, skipped: 1, holding: 0 },
  ]);
  // Items where both said correct/incorrect: 0 (c,c), 1 (c,i), 2 (i,i); item 3 has Bob's unsure.
  // n = 3, observed = 2/3; P(Ada yes) = 2/3, P(Bob yes) = 1/3;
  // expected = 2/3 * 1/3 + 1/3 * 2/3 = 4/9; kappa = (2/3 - 4/9) / (1 - 4/9) = (2/9) / (5/9) = 0.4
  expect(queue.pairs).toHaveLength(1);
  const pair = queue.pairs[0]!;
  expect(new Set([pair.a, pair.b])).toEqual(new Set(["Ada", "Bob"]));
  expect(pair.n).toBe(3);
  expect(pair.observed).toBeCloseTo(2 / 3, 12);
  expect(pair.kappa).toBeCloseTo(0.4, 12);

  const [summary] = await listQueues(fx.e2.id);
  expect(summary).toMatchObject({ id: q.id, itemCount: 5, itemsComplete: 4, labelsDone: 8, isMember: true, myDone: 4 });
  expect((await listQueues(fx.e3.id))[0]).toMatchObject({ isMember: false, myDone: 0 });
});
