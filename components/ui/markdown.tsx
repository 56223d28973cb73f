// Untrusted text (questions, references, responses) as markdown with LaTeX, rendered safely:
//   - raw HTML in the text is shown as the characters it is, never parsed (remark plugin below);
//   - the HTML that markdown makes is sanitized (rehype-sanitize, GitHub's schema) before KaTeX
//     renders math, so no script, handler or style from the text survives;
//   - links keep only safe protocols (react-markdown drops javascript:, data: and the like) and
//     open in a new tab without the opener; images are not loaded (a text stands in for them).
//   - a dollar sign is math only where pandoc would take it for math, not in "$5 and $10" (./dollars.ts).
// React's raw-HTML property is never used here.
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeKatex from "rehype-katex";
import rehypeSanitize from "rehype-sanitize";
import remarkMath from "remark-math";
import { remarkMoneyDollars } from "./dollars";
import "katex/dist/katex.min.css";

type TNode = { type: string; value?: string; children?: TNode[] };

/**
 * Raw HTML nodes become plain text, so "<script>" reads as "<script>"; and a single newline is a
 * line break, as model output is written line by line (markdown would join the lines).
 */
function remarkPlainText() {
  const walk = (node: TNode) => {
    if (node.type === "html") node.type = "text";
    if (!node.children) return;
    node.children.forEach(walk);
    node.children = node.children.flatMap((child) =>
      child.type === "text" && child.value?.includes("\n")
        ? child.value.split("\n").flatMap((part, i) => (i === 0 ? [{ type: "text", value: part }] : [{ type: "break" }, { type: "text", value: part }]))
        : [child],
    );
  };
  return (tree: TNode) => walk(tree);
}

const components: Components = {
  // A link whose address was dropped as unsafe stays visible as text, not as a dead link.
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-blue-700 underline">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ alt }) => <span className="text-slate-500">[image{alt ? `: ${alt}` : ""}]</span>,
  // A "# heading" in a response is the data's, not a heading of the page: bold text, kept out of
  // the outline a screen reader navigates by.
  ...Object.fromEntries(["h1", "h2", "h3", "h4", "h5", "h6"].map((tag) => [tag, ({ children }: { children?: React.ReactNode }) => <p className="font-semibold">{children}</p>])),
};

export function Markdown({ text, className = "" }: { text: string; className?: string }) {
  return (
    <div className={`markdown ${className}`}>
      <ReactMarkdown remarkPlugins={[remarkMath, remarkMoneyDollars, remarkPlainText]} rehypePlugins={[rehypeSanitize, rehypeKatex]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
