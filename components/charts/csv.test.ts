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

  it("keeps text a spreadsheet would run as a formula as text, and numbers as numbers", () => {
    const csv = toCsv([
      { subject: '=HYPERLINK("http://evil.example","x")', kappa: -0.2 },
      { subject: "+1 (555)", kappa: "-0.25" },
      { subject: "@SUM(A1)", kappa: "1e-3" },
      { subject: "-", kappa: "-inf" },
      { subject: "\tTab", kappa: 0 },
    ]);
    expect(csv).toBe(
      'subject,kappa\r\n"\'=HYPERLINK(""http://evil.example"",""x"")",-0.2\r\n\'+1 (555),-0.25\r\n\'@SUM(A1),1e-3\r\n\'-,\'-inf\r\n\'\tTab,0\r\n',
    );
  });
});
