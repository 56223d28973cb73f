import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("writes a header and rows, quoting what RFC 4180 asks to quote", () => {
    const csv = toCsv([
      { subject: "medicine", kappa: 0.81, n: 12 },
      { subject: 'law, "civil"', kappa: null, n: 3 },
      { subject: "line\nbreak", kappa: Number.NaN, n: 0 },
    ]);
    expect(csv).toBe('subject,kappa,n\r\nmedicine,0.81,12\r\n"law, ""civil""",,3\r\n"line\nbreak",,0\r\n');
  });

  it("keeps the column order asked for, and an empty table is just its header", () => {
    expect(toCsv([{ a: 1, b: 2 }], ["b", "a"])).toBe("b,a\r\n2,1\r\n");
    expect(toCsv([], ["bin", "count"])).toBe("bin,count\r\n");
  });
});
