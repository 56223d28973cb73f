// Which dollar signs in a text are LaTeX and which are money. remark-math takes any two dollars on
// a line for inline math, so "It costs $5 and $10" showed "5 and" as math (and screen readers
// read it letter by letter). Pandoc's rule decides here instead: `$…$` is math only if a non-space
// follows the opening `$`, a non-space precedes the closing one, and no digit follows it. So
// "$20,000 and $30,000" is text, "$E = mc^2$" and "$x$-axis" are math. It works on what
// remark-math found, in the syntax tree: code, fences and `$$…$$` are never touched, and a
// math span that fails the rule becomes its source text again, exactly as written, and the plain
// text after it is scanned again by the rule (remarkMoneyDollars).

type TNode = { type: string; value?: string; children?: TNode[]; data?: unknown; position?: { start: { offset?: number }; end: { offset?: number } } };

/** Whether `raw`, an inline math span as written ("$…$" or "$$…$$"), followed in the text by `next`, is math by pandoc's rule. */
export function isTexMath(raw: string, next: string | undefined): boolean {
  if (raw.startsWith("$$")) return true;
  const inner = raw.slice(1, -1);
  return inner.length > 0 && !/^\s/.test(inner) && !/\s$/.test(inner) && !/^\d/.test(next ?? "");
}

/**
 * Pandoc's scan over `src`, which begins with a `$` already found to be no opening (so it is
 * text): the math spans after it, as pandoc finds them. An opening `$` is followed by a non-space;
 * its closing `$` is the first unescaped one after it, preceded by a non-space and followed by
 * no digit, else there is no span at that opening (pandoc does not look further) and the scan
 * goes on after it. `$$` is left as text here: display math is remark-math's.
 */
export function mathSpansAfterMoney(src: string): ({ text: string } | { math: string })[] {
  const out: ({ text: string } | { math: string })[] = [];
  let textStart = 0;
  let i = 1;
  while (i < src.length) {
    if (src[i] === "\\") {
      i += 2;
      continue;
    }
    if (src[i] !== "$") {
      i++;
      continue;
    }
    if (src[i + 1] === "$") {
      i += 2;
      continue;
    }
    const close = closingDollar(src, i + 1);
    if (close === null) {
      i++;
      continue;
    }
    if (i > textStart) out.push({ text: src.slice(textStart, i) });
    out.push({ math: src.slice(i + 1, close) });
    i = textStart = close + 1;
  }
  if (textStart < src.length) out.push({ text: src.slice(textStart) });
  return out;
}

/** Where the span opened before `from` closes, by pandoc's rule; null if it does not. */
function closingDollar(src: string, from: number): number | null {
  if (from >= src.length || /\s/.test(src[from]!)) return null;
  for (let k = from; k < src.length; k++) {
    if (src[k] === "\\") {
      k++;
      continue;
    }
    if (src[k] !== "$") continue;
    return /\s/.test(src[k - 1]!) || /\d/.test(src[k + 1] ?? "") || k === from ? null : k;
  }
  return null;
}

const inlineMath = (value: string): TNode => ({
  type: "inlineMath",
  value,
  // as remark-math makes it, for remark-rehype and rehype-katex
  data: { hName: "code", hProperties: { className: ["language-math", "math-inline"] }, hChildren: [{ type: "text", value }] },
});

/**
 * A remark plugin, after remark-math: inline math that fails the rule goes back to text. What
 * follows such a span in the paragraph is scanned again by the rule, so "costs $5, and $x^2$"
 * renders x^2 as pandoc does (remark-math had paired the money's `$` with the math's first one).
 * The scan covers only the span and the plain text after it (text nodes exactly as written, and
 * other math spans); it stops at emphasis, links, code or an escape.
 */
export function remarkMoneyDollars() {
  return (tree: TNode, file: { value?: unknown }) => {
    const source = String(file.value ?? "");
    const raw = (node: TNode) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      return start === undefined || end === undefined ? null : { start, end, text: source.slice(start, end) };
    };
    const walk = (node: TNode) => {
      if (!node.children) return;
      const children: TNode[] = [];
      for (let i = 0; i < node.children.length; i++) {
        const child = node.children[i]!;
        const span = child.type === "inlineMath" ? raw(child) : null;
        if (!span || isTexMath(span.text, source[span.end])) {
          walk(child);
          children.push(child);
          continue;
        }
        // The plain run after the failed span.
        let end = span.end;
        while (i + 1 < node.children.length) {
          const next = node.children[i + 1]!;
          const r = raw(next);
          // Display math ($$…$$) is remark-math's, always math: the run ends before it.
          if (!r || r.start !== end || !((next.type === "inlineMath" && !r.text.startsWith("$$")) || (next.type === "text" && next.value === r.text))) break;
          end = r.end;
          i++;
        }
        for (const part of mathSpansAfterMoney(source.slice(span.start, end))) {
          children.push("math" in part ? inlineMath(part.math) : { type: "text", value: part.text });
        }
      }
      node.children = children;
    };
    walk(tree);
  };
}
