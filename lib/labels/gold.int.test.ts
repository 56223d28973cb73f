// refreshGold (the gold rule in SQL) must give exactly resolveGold (the rule as a pure function):
// checked on every multiset of up to three labels (and none), without and with an adjudicator's
// decision, the labels written through the importer's own label path.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { prismaSql } from "@/lib/db/sql";
import { insertLabels } from "@/lib/io/write-attached";
import { refreshGold, resolveGold, type TLabelValue } from "./gold";

const prisma = testDb();
const VALUES: TLabelValue[] = ["correct", "incorrect", "unsure"];

function multisets(max: number): TLabelValue[][] {
  const out: TLabelValue[][] = [[]];
  const grow = (prefix: TLabelValue[], from: number) => {
    if (prefix.length === max) return;
    for (let i = from; i < VALUES.length; i++) {
      const next = [...prefix, VALUES[i]!];
      out.push(next);
      grow(next, i);
    }
  };
  grow([], 0);
  return out;
}

beforeEach(async () => {
  await resetDb();
});

describe("refreshGold", () => {
  it("agrees with resolveGold on every combination of up to three labels", async () => {
    const cases = multisets(3);
    expect(cases).toHaveLength(20); // 1 + 3 + 6 + 10
    const dataset = await prisma.dataset.create({ data: { name: "g" } });
    const question = await prisma.question.create({ data: { datasetId: dataset.id, key: "q", text: "q", reference: "r" } });
    const ids: number[] = [];
    for (let i = 0; i < cases.length; i++) {
      const r = await prisma.response.create({ data: { questionId: question.id, datasetId: dataset.id, key: `r${i}`, text: "x", finalStep: "x", goldLabel: "correct" } });
      ids.push(r.id);
    }
    const sql = prismaSql(prisma);
    await insertLabels(sql, null, cases.flatMap((values, i) => values.map((value, k) => ({ responseId: ids[i]!, annotator: `a${k}`, value }))));
    await refreshGold(sql, ids); // also for the response without labels, whose stale gold must go
    const stored = await prisma.response.findMany({ where: { id: { in: ids } }, select: { id: true, goldLabel: true } });
    const gold = new Map(stored.map((r) => [r.id, r.goldLabel]));
    for (let i = 0; i < cases.length; i++) expect(gold.get(ids[i]!), JSON.stringify(cases[i])).toBe(resolveGold(cases[i]!));
  });

  it.each(VALUES)("agrees with resolveGold when an adjudicator decided %s", async (decision) => {
    const cases = multisets(3);
    const dataset = await prisma.dataset.create({ data: { name: `g-${decision}` } });
    const question = await prisma.question.create({ data: { datasetId: dataset.id, key: "q", text: "q", reference: "r" } });
    const ids: number[] = [];
    for (let i = 0; i < cases.length; i++) {
      const r = await prisma.response.create({ data: { questionId: question.id, datasetId: dataset.id, key: `r${i}`, text: "x", finalStep: "x" } });
      ids.push(r.id);
      await prisma.adjudication.create({ data: { responseId: r.id, value: decision } });
    }
    await insertLabels(prismaSql(prisma), null, cases.flatMap((values, i) => values.map((value, k) => ({ responseId: ids[i]!, annotator: `a${k}`, value }))));
    await prisma.$transaction((tx) => refreshGold(tx, ids));
    const stored = await prisma.response.findMany({ where: { id: { in: ids } }, select: { id: true, goldLabel: true } });
    const gold = new Map(stored.map((r) => [r.id, r.goldLabel]));
    for (let i = 0; i < cases.length; i++) expect(gold.get(ids[i]!), JSON.stringify(cases[i])).toBe(resolveGold(cases[i]!, decision));
  });
});
