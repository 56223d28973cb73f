// Which dollar signs in a text are LaTeX and which are money. remark-math takes any two dollars on
// a line for inline math, so "It costs $5 and $10" showed "5 and" as math (and screen readers
// read it letter by letter). Pandoc's rule decides here instead: `$…$` is math only if a non-space
// follows the opening `$`, a non-space precedes the closing one, and no digit follows it. So
// "$20,000 and $30,000" is text, "$E = mc^2$" and "$x$-axis" are math. It works on what
// remark-math found, in the syntax tree: code, fences and `$$…$$` are never touched, and a
// math span that fails the rule becomes its source text again, exactly as written.

type TNode = { type: string; value?: string; children?: TNode[]; position?: { start: { offset?: number }; end: { offset?: number } } };

/** Whether `raw`, an inline math span as written ("$…$" or "$$…$$"), followed in the text by `next`, is math by pandoc's rule. */
export function isTexMath(raw: string, next: string | undefined): boolean {
  if (raw.startsWith("$$")) return true;
  const inner = raw.slice(1, -1);
  return inner.length > 0 && !/^\s/.test(inner) && !/\s$/.test(inner) && !/^\d/.test(next ?? "");
}

/** A remark plugin, after remark-math: inline math that fails the rule goes back to text. */
export function remarkMoneyDollars() {
  return (tree: TNode, file: { value?: unknown }) => {
    const source = String(file.value ?? "");
    const walk = (node: TNode) => {
      if (!node.children) return;
      node.children = node.children.map((child) => {
        const start = child.position?.start.offset;
        const end = child.position?.end.offset;
        if (child.type === "inlineMath" && start !== undefined && end !== undefined) {
          const raw = source.slice(start, end);
          return isTexMath(raw, source[end]) ? child : { type: "text", value: raw };
        }
        walk(child);
        return child;
      });
    };
    walk(tree);
  };
}
