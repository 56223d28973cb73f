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

it("makes a queue of one cell of the 72B x 7B table within one subject (the issue's example)", async () => {
  const fx = await reviewFixture(prisma, 12);
  // Subjects: even questions "medicine", odd ones "chemistry".
  await prisma.$executeRaw`UPDATE questions SET subject = CASE WHEN substring(text FROM '[0-9]+$')::int % 2 = 0 THEN 'medicine' ELSE 'chemistry' END
    WHERE dataset_id = ${fx.datasetId}`;
  const q = await createQueue(prisma, fx.researcher, {
    name: "72B yes, 7B no, medicine",
    source: { filter: `dataset=${fx.datasetId}&verdict=${fx.big.id}:YES&verdict=${fx.small.id}:NO&subject=medicine` },
    overlap: 1,
    blind: true,
    memberIds: [fx.e1.id],
  });
  // 72B says YES on even i, 7B says NO where i % 3 != 0; medicine = even i: i in {2, 4, 8, 10}.
  const items = await prisma.reviewItem.findMany({ where: { queueId: q.id }, orderBy: { responseId: "asc" }, select: { responseId: true } });
  expect(items.map((i) => i.responseId)).toEqual([2, 4, 8, 10].map((i) => fx.ids[i]));
});
