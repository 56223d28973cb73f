// Which dollar signs in a text are LaTeX and which are money. remark-math takes any two dollars on
// a line for inline math, so "It costs $5 and $10" showed "5 and" as math (and screen readers
// read it letter by letter). Pandoc's rule decides here instead: a `$` opens math only when a
// non-space follows it, and the math closes at the next `$` only if a non-space precedes it and
// no digit follows it; every other single `$` is escaped as money. So "$20,000 and $30,000" is
// text, "$E = mc^2$" and "$x$-axis" are math. `$$…$$` blocks and code are left as they are.

const CODE_OR_DISPLAY = /(```[\s\S]*?(?:```|$)|`+[^`]*?`+|\$\$[\s\S]*?\$\$)/g;

export function escapeMoneyDollars(text: string): string {
  if (!text.includes("$")) return text;
  return text
    .split(CODE_OR_DISPLAY)
    .map((part, i) => (i % 2 === 1 ? part : inlineDollars(part)))
    .join("");
}

function inlineDollars(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "\\") {
      out += s.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const close = /\S/.test(s[i + 1] ?? " ") ? closingDollar(s, i + 1) : -1;
    if (close === -1) {
      out += "\\$";
      i++;
    } else {
      out += s.slice(i, close + 1);
      i = close + 1;
    }
  }
  return out;
}

/** The `$` that closes math opened before `from`, or -1 when the first `$` met cannot (or a blank line comes first). */
function closingDollar(s: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    const c = s[j]!;
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "\n" && s[j + 1] === "\n") return -1;
    if (c === "$") return /\S/.test(s[j - 1]!) && !/\d/.test(s[j + 1] ?? "") ? j : -1;
  }
  return -1;
}
