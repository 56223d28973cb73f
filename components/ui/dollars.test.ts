// Cases from pandoc's manual (tex_math_dollars: "$20,000 and $30,000 won't parse as math") and
// the texts that showed the defect (NQ answers with amounts).
import { describe, expect, it } from "vitest";
import { escapeMoneyDollars } from "./dollars";

describe("escapeMoneyDollars", () => {
  it("escapes amounts of money, as pandoc reads them", () => {
    expect(escapeMoneyDollars("It costs $5 and $10 for two")).toBe("It costs \\$5 and \\$10 for two");
    expect(escapeMoneyDollars("$20,000 and $30,000")).toBe("\\$20,000 and \\$30,000");
    expect(escapeMoneyDollars("grossed $137 million")).toBe("grossed \\$137 million");
    expect(escapeMoneyDollars("from $5 to $ 10")).toBe("from \\$5 to \\$ 10");
    // a closing $ followed by a digit closes nothing
    expect(escapeMoneyDollars("between $5$10")).toBe("between \\$5\\$10");
  });

  it("keeps math as math", () => {
    expect(escapeMoneyDollars("so $E = mc^2$ holds")).toBe("so $E = mc^2$ holds");
    expect(escapeMoneyDollars("the $x$-axis and $y$")).toBe("the $x$-axis and $y$");
    expect(escapeMoneyDollars("$2^{10}$ bytes")).toBe("$2^{10}$ bytes");
    expect(escapeMoneyDollars("display:\n$$\\int_0^1 x\\,dx = $1$$")).toBe("display:\n$$\\int_0^1 x\\,dx = $1$$");
  });

  it("leaves escaped dollars, code and texts without dollars alone", () => {
    expect(escapeMoneyDollars("already \\$5 and \\$6")).toBe("already \\$5 and \\$6");
    expect(escapeMoneyDollars("run `echo $HOME and $PATH` now")).toBe("run `echo $HOME and $PATH` now");
    expect(escapeMoneyDollars("```sh\nexport A=$B $C\n```\ncosts $5")).toBe("```sh\nexport A=$B $C\n```\ncosts \\$5");
    expect(escapeMoneyDollars("no money here")).toBe("no money here");
  });

  it("does not let math run across a blank line", () => {
    expect(escapeMoneyDollars("pay $x\n\nthen y$ more")).toBe("pay \\$x\n\nthen y\\$ more");
  });
});
