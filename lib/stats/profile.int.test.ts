// The dataset profile (one pass shared by the agreement matrix and the reward overview) against
// the per-pair query it replaced for the matrix and against the rows read back plainly, and the
// snapshot store's sharing of a computation under way.
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/tests/db";
import { answerOf, goldOf, setUpFixture, type TFixture, type TItem } from "@/tests/analytics-fixture";
import { agreementMatrix, pairAgreement, pairBreakdown, ratersOf } from "./agreement-queries";
import { lengthBucketOf } from "./length-buckets";
import { datasetProfile } from "./profile-queries";
import { rewardOverview } from "./reward-queries";
import { snapshot } from "./snapshot";
import type { TRaterRef } from "./sql";

const prisma = testDb();
let fx: TFixture;
let items: TItem[];
let isEmbedded = false;

beforeAll(async () => {
  ({ fx, items, isEmbedded } = await setUpFixture(prisma));
});

describe("dataset profile", () => {
  it("gives every pair the 2x2 table of the per-pair query, whatever the raters' order", async () => {
    const [expert] = ratersOf([]);
    const judges = ratersOf(fx.judges).filter((r) => r.kind === "judge");
    for (const raters of [[expert!, ...judges], [judges[1]!, expert!, judges[0]!], [judges[0]!]]) {
      const { value } = await agreementMatrix(fx.datasetId, raters, { fresh: true });
      expect(value.pairs).toHaveLength((raters.length * (raters.length - 1)) / 2);
      for (const pair of value.pairs) {
        const direct = await pairAgreement(fx.datasetId, raters[pair.a]!, raters[pair.b]!);
        expect(pair).toEqual({ ...direct, a: pair.a, b: pair.b });
      }
    }
  });

  it("counts every item once per judge state and gold label, a judge without judgments as not judged", async () => {
    const silent = await prisma.judge.create({ data: { name: "Silent", kind: "external" } });
    const judges = [...fx.judges, { id: silent.id, templateVersion: "" }];
    const { value } = await datasetProfile(fx.datasetId, judges, { fresh: true });
    expect(value.responses).toBe(items.length);
    const stateOf = (item: TItem, judgeId: number) => {
      const first = item.judgments.get(judgeId)?.find((j) => j.sample === 0);
      return !first ? "none" : first.verdict === "YES" || first.verdict === "NO" || first.verdict === "UNPARSEABLE" ? first.verdict : "failed";
    };
    const want = new Map<string, number>();
    for (const item of items) {
      const id = `${item.gold}|${[...fx.judges.map((j) => stateOf(item, j.id)), "none"].join("|")}`;
      want.set(id, (want.get(id) ?? 0) + 1);
    }
    expect(new Map(value.profiles.map((p) => [`${p.gold}|${p.states.join("|")}`, p.n]))).toEqual(want);
    expect(value.rewards[2]).toEqual([]);

    const overview = await rewardOverview(fx.datasetId, judges, { fresh: true });
    expect(overview.value.judges[2]).toMatchObject({ judgeId: silent.id, yes: 0, no: 0, unparseable: 0, failed: 0, rewardRate: null, meanSoft: null });
    await prisma.judge.delete({ where: { id: silent.id } });
  });

  it("is computed once for the matrix and the reward overview asked side by side", async () => {
    const raters: TRaterRef[] = ratersOf(fx.judges);
    const [matrix, rewards] = await Promise.all([agreementMatrix(fx.datasetId, raters, { fresh: true }), rewardOverview(fx.datasetId, fx.judges, { fresh: true })]);
    expect(matrix.computedAt).toBe(rewards.computedAt);
    expect(matrix.version).toBe(rewards.version);
    // And answers as counted item by item.
    const pair = matrix.value.pairs.find((p) => p.a === 0 && p.b === 2)!;
    const answered = items.filter((i) => answerOf(i, fx.judges[0]!.id) !== null && goldOf(i) !== null).length;
    expect(pair.n).toBe(answered);
  });
});

describe("pair breakdown over the items both answered", () => {
  const answer = (item: TItem, rater: TRaterRef) => (rater.kind === "expert" ? goldOf(item) : answerOf(item, rater.id));

  it("counts a judge against the experts, either way round, as item by item", async () => {
    const [judge, , expert] = ratersOf(fx.judges) as [TRaterRef, TRaterRef, TRaterRef];
    for (const [a, b] of [[judge, expert], [expert, judge]] as const) {
      const { value } = await pairBreakdown(fx.datasetId, a, b, { fresh: true });
      const both = items.filter((i) => answer(i, a) !== null && answer(i, b) !== null);
      const keyOf = { subject: (i: TItem) => i.subject, policyModel: (i: TItem) => i.policyModel, length: (i: TItem) => String(lengthBucketOf(i.textLength)) };
      for (const [dimension, key] of Object.entries(keyOf)) {
        const want = new Map<string | null, { yy: number; yn: number; ny: number; nn: number }>();
        for (const item of both) {
          const cells = want.get(key(item)) ?? { yy: 0, yn: 0, ny: 0, nn: 0 };
          cells[answer(item, a) ? (answer(item, b) ? "yy" : "yn") : answer(item, b) ? "ny" : "nn"]++;
          want.set(key(item), cells);
        }
        const rows = value.filter((r) => r.dimension === dimension);
        expect(new Map(rows.map((r) => [r.value, { yy: r.yy, yn: r.yn, ny: r.ny, nn: r.nn }]))).toEqual(want);
      }
    }
  });
});

describe("a snapshot computation under way", () => {
  /** A computation of `key` that returns `value` once released. */
  function held(key: string, value: string) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const result = snapshot(fx.datasetId, key, async () => {
      started();
      await gate;
      return value;
    });
    return { result, running, release };
  }

  it("is awaited by a request for the same key while the data has not changed", async () => {
    const first = held("test:shared", "first");
    await first.running;
    const second = snapshot(fx.datasetId, "test:shared", async () => "second");
    first.release();
    const [a, b] = await Promise.all([first.result, second]);
    expect(a.value).toBe("first");
    expect(b).toBe(a);
  });

  it("is not awaited once a write has committed after it began: the request computes the current figures", async () => {
    // The embedded database runs one transaction at a time: no write can commit beside an open computation.
    if (isEmbedded) return;
    const first = held("test:moved", "first");
    await first.running;
    await prisma.question.updateMany({ where: { datasetId: fx.otherDatasetId }, data: { language: "nl" } });
    const second = await snapshot(fx.datasetId, "test:moved", async () => "second");
    first.release();
    const a = await first.result;
    expect(second.value).toBe("second");
    expect(second.version).not.toBe(a.version);
  });
});
