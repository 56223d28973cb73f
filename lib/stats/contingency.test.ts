import { describe, expect, it } from "vitest";
import { answeredCounts, pairConfusion, pairTables } from "./contingency";

// Three raters over 9 items, one row per item (Y = true, N = false, - = no answer):
//   item  1 2 3 4 5 6 7 8 9
//   r0    Y Y N N Y - N Y Y
//   r1    Y N N Y - Y N Y Y
//   r2    N Y - N Y Y N Y -
const items = [
  [true, true, false],
  [true, false, true],
  [false, false, null],
  [false, true, false],
  [true, null, true],
  [null, true, true],
  [false, false, false],
  [true, true, true],
  [true, true, null],
];

describe("pairwise tables from a multi-way contingency table", () => {
  it("equals counting item by item, whether items come one by one or grouped", () => {
    const single = items.map((answers) => ({ answers, n: 1 }));
    const grouped = new Map<string, { answers: (boolean | null)[]; n: number }>();
    for (const answers of items) {
      const key = JSON.stringify(answers);
      grouped.set(key, { answers, n: (grouped.get(key)?.n ?? 0) + 1 });
    }
    for (const profiles of [single, [...grouped.values()]]) {
      // r0 vs r1 on items 1,2,3,4,7,8,9: YY 1,8,9; YN 2; NY 4; NN 3,7
      expect(pairConfusion(profiles, 0, 1)).toEqual({ yy: 3, yn: 1, ny: 1, nn: 2 });
      // r0 vs r2 on items 1,2,4,5,7,8: YY 2,5,8; YN 1; NY none; NN 4,7
      expect(pairConfusion(profiles, 0, 2)).toEqual({ yy: 3, yn: 1, ny: 0, nn: 2 });
      // r1 vs r2 on items 1,2,4,6,7,8: YY 6,8; YN 1,4; NY 2; NN 7
      expect(pairConfusion(profiles, 1, 2)).toEqual({ yy: 2, yn: 2, ny: 1, nn: 1 });
      expect(answeredCounts(profiles, 3)).toEqual([8, 8, 7]);
    }
  });

  it("gives every pair with its agreement", () => {
    const tables = pairTables(items.map((answers) => ({ answers, n: 1 })), 3);
    expect(tables.map((t) => [t.a, t.b, t.n])).toEqual([
      [0, 1, 7],
      [0, 2, 6],
      [1, 2, 6],
    ]);
    expect(tables[0]).toMatchObject({ answeredA: 8, answeredB: 8, observed: 5 / 7 });
  });
});
