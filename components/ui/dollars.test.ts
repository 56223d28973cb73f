// Cases from pandoc's manual (tex_math_dollars: "$20,000 and $30,000 won't parse as math") and
// the texts that showed the defect (NQ answers with amounts), rendered by the studio's Markdown.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { isTexMath, mathSpansAfterMoney } from "./dollars";
import { Markdown } from "./markdown";

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));
const plain = (text: string) => html(text).replace(/<[^>]+>/g, "");

describe("dollars: money or math", () => {
  it("keeps amounts of money as the text they are", () => {
    for (const text of ["It costs $5 and $10 for two.", "$20,000 and $30,000", "grossed $137 million", "between $5$10 each"]) {
      expect(html(text)).not.toContain("katex");
      expect(plain(text)).toContain(text);
    }
  });

  it("renders math as math", () => {
    expect(html("so $E = mc^2$ holds")).toContain('class="katex"');
    expect(html("the $x$-axis")).toContain('class="katex"');
  });

  it("renders math after money in one paragraph, as pandoc does", () => {
    // remark-math pairs "$5 and math $" (not math: a space before its closing $), leaving "x^2$".
    // Pandoc: the $ before 5 opens nothing, the one before x opens $x^2$. Every expectation below
    // was checked with Debian's pandoc 2.17.1.1: `echo 'money $5 and math $x^2$ here' | pandoc -f
    // markdown -t native` gives Str "$5", ..., Math InlineMath "x^2", Space, Str "here".
    const out = html("money $5 and math $x^2$ here");
    expect(out.match(/class="katex"/g)).toHaveLength(1);
    expect(plain("money $5 and math $x^2$ here")).toMatch(/^money \$5 and math .*x.*2.* here$/);
    expect(out).toContain('<annotation encoding="application/x-tex">x^2</annotation>');
    // Two amounts and then math; money only; math, money, math.
    expect(html("from $5 to $10, then $y$.").match(/class="katex"/g)).toHaveLength(1);
    expect(html("from $5 to $10, then $y$.")).toContain('<annotation encoding="application/x-tex">y</annotation>');
    expect(html("$5 and $6 and $7")).not.toContain("katex");
    // Display math after a failed span stays math.
    expect(html("$5 and $ then $$x$$ ok")).toContain('<annotation encoding="application/x-tex">x</annotation>');
    expect(html("$a$ costs $5, and $b$").match(/class="katex"/g)).toHaveLength(2);
    // A limit: markup inside the span remark-math took for math stays as written (pandoc gives
    // Emph [Str "x"] here); the math after it is math, as pandoc has it.
    expect(html("costs $5 and so *x* then $y$")).toContain('<annotation encoding="application/x-tex">y</annotation>');
    expect(plain("costs $5 and so *x* then $y$")).toContain("costs $5 and so *x* then ");
  });

  it("scans after a failed span by pandoc's rule (pandoc 2.17's native output in each comment)", () => {
    // Str "$5", Space, Str "and", Space, Math InlineMath "x^2", Space, Str "here"
    // Str "$5", Space, Str "and", Space, Str "$", Space, Str "x$"
    // Str "$5", Space, Str "and", Space, Str "$x", Space, Str "$"
    // Str "$5", Space, Str "and", Space, Str "$x$1"
    // Str "$5,", Space, Math InlineMath "\\$x"
    expect(mathSpansAfterMoney("$5 and $x^2$ here")).toEqual([{ text: "$5 and " }, { math: "x^2" }, { text: " here" }]);
    expect(mathSpansAfterMoney("$5 and $ x$")).toEqual([{ text: "$5 and $ x$" }]);
    expect(mathSpansAfterMoney("$5 and $x $")).toEqual([{ text: "$5 and $x $" }]);
    expect(mathSpansAfterMoney("$5 and $x$1")).toEqual([{ text: "$5 and $x$1" }]);
    expect(mathSpansAfterMoney("$5, $\\$x$")).toEqual([{ text: "$5, " }, { math: "\\$x" }]);
    expect(mathSpansAfterMoney("$5 $$x$$")).toEqual([{ text: "$5 $$x$$" }]);
  });

  it("leaves code as written: spans, fences of both kinds, indented blocks", () => {
    expect(plain("run `echo $HOME and $PATH` now")).toContain("echo $HOME and $PATH");
    expect(plain("~~~\nexport A=$B $C\n~~~")).toContain("export A=$B $C");
    expect(plain("```\nexport A=$B $C\n```")).toContain("export A=$B $C");
    expect(plain("text\n\n    echo $HOME and $PATH\n")).toContain("echo $HOME and $PATH");
    expect(html("run `echo $HOME and $PATH` now")).not.toContain("\\$");
  });

  it("follows pandoc's rule on a span as written", () => {
    expect(isTexMath("$5 and $", "1")).toBe(false); // ends with a space
    expect(isTexMath("$ x$", undefined)).toBe(false); // starts with one
    expect(isTexMath("$5$", "1")).toBe(false); // a digit follows
    expect(isTexMath("$x$", "-")).toBe(true);
    expect(isTexMath("$$a b $$", undefined)).toBe(true);
  });
});
