// refreshGoldSql must give exactly lib/labels/gold.ts' resolveGold: checked on every multiset of
// up to three labels (and none), written through the importer's own label path.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { resolveGold, type TLabelValue } from "@/lib/labels/gold";
import { prismaSql } from "./sql";
import { insertLabels, refreshGoldSql } from "./write-attached";

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

describe("refreshGoldSql", () => {
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
    await refreshGoldSql(sql, ids); // also for the response without labels, whose stale gold must go
    const stored = await prisma.response.findMany({ where: { id: { in: ids } }, select: { id: true, goldLabel: true } });
    const gold = new Map(stored.map((r) => [r.id, r.goldLabel]));
    for (let i = 0; i < cases.length; i++) expect(gold.get(ids[i]!), JSON.stringify(cases[i])).toBe(resolveGold(cases[i]!));
  });
});
