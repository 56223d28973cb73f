// Cases from pandoc's manual (tex_math_dollars: "$20,000 and $30,000 won't parse as math") and
// the texts that showed the defect (NQ answers with amounts), rendered by the studio's Markdown.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { isTexMath } from "./dollars";
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
    // A limit: money before math in one paragraph leaves the math as written (remark-math paired
    // the money's $ with the math's opening one; pandoc would render x^2). Nothing is garbled.
    expect(plain("money $5 and math $x^2$")).toContain("money $5 and math $x^2$");
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
