// The demo data set loads as documented (prisma/demo/openqa-eval/SOURCE.md), and the agreement
// figures the studio computes in SQL equal an independent computation from the raw files
// (tests/independent/openqa-agreement.ts: its own TSV reading, join and kappa).
import { beforeAll, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { openQaAgreement } from "@/tests/independent/openqa-agreement";
import { pairAgreement, type TRaterRef } from "@/lib/stats/agreement-queries";
import { loadOpenQaDemo, type TDemoReport } from "./openqa";

let report: TDemoReport;

beforeAll(async () => {
  await resetDb();
  report = await loadOpenQaDemo(testDb());
});

describe("openqa-eval demo load", () => {
  it("has the files' questions, responses and annotator labels", async () => {
    expect(report.items.questionsInserted).toBe(301);
    expect(report.items.responsesInserted).toBe(1490);
    expect(report.items.rejected).toEqual([]);
    // 1,274 rows with two annotators and 216 with three (counted from NQ301_human.tsv)
    expect(report.labels.inserted).toBe(1274 * 2 + 216 * 3);
    expect(report.goldMismatches).toBe(0);
  });

  it("joins the judge files by the documented rule, leaving out exactly the unmatched rows", () => {
    expect(report.judges["GPT-4"]).toMatchObject({ inserted: 1489, unpairedLines: [151], rejected: [] });
    expect(report.judges["BEM"]).toMatchObject({ inserted: 1489, unpairedLines: [919], rejected: [] });
  });

  it("keeps GPT-4 replies that do not start with yes/no as UNPARSEABLE, with the reply", async () => {
    const rows = await testDb().judgment.findMany({
      where: { verdict: "UNPARSEABLE", judge: { name: "GPT-4" } },
      select: { rawOutput: true, error: true },
    });
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.rawOutput && r.error?.startsWith("reply is neither YES nor NO"))).toBe(true);
  });

  it("stores BEM's soft score as the largest P(correct) over the gold answers", async () => {
    // Row 2 of NQ301_BEM.tsv: [[0.488..., 0.5118...], [0.2564..., 0.7435657978057861]] -> 0.7435657978057861
    const response = await testDb().response.findFirstOrThrow({
      where: { text: "The Washington Redskins are based out of Landover, Maryland." },
      select: { judgments: { where: { judge: { name: "BEM" } }, select: { softReward: true, pYes: true, pNo: true, verdict: true } } },
    });
    expect(response.judgments[0]).toEqual({ softReward: 0.7435657978057861, pYes: 0.7435657978057861, pNo: 0.2564341127872467, verdict: "YES" });
  });
});

describe("agreement on the demo equals the independent computation", () => {
  const expected = openQaAgreement();
  const rater = async (name: string): Promise<TRaterRef> => {
    const judge = await testDb().judge.findUniqueOrThrow({ where: { name } });
    return { kind: "judge", id: judge.id, templateVersion: judge.templateVersion, name };
  };
  const experts: TRaterRef = { kind: "expert", name: "Experts" };

  it.each([
    ["GPT-4 vs human majority", "GPT-4", null, "gpt4VsHuman"],
    ["BEM vs human majority", "BEM", null, "bemVsHuman"],
    ["GPT-4 vs BEM", "GPT-4", "BEM", "gpt4VsBem"],
  ] as const)("%s", async (_name, a, b, key) => {
    const result = await pairAgreement(report.datasetId, await rater(a), b ? await rater(b) : experts);
    const want = expected[key];
    expect({ n: result.n, yy: result.yy, yn: result.yn, ny: result.ny, nn: result.nn }).toEqual({
      n: want.n,
      yy: want.yy,
      yn: want.yn,
      ny: want.ny,
      nn: want.nn,
    });
    expect(result.observed).toBeCloseTo(want.agreement, 12);
    expect(result.kappa).toBeCloseTo(want.kappa, 12);
  });
});
