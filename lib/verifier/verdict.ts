// Reading a judge's reply as YES or NO. Anything that cannot be read is UNPARSEABLE with the
// reason kept, never silently NO (design: binary reward, Eq. 3).
//
// Two modes:
//  - "strict": the reply (after a <think> block, markdown emphasis, quotes and trailing
//    punctuation are removed) must be exactly yes or no, as the paper's template demands;
//  - "leading": the reply must start with yes or no as a word ("Yes, the candidate is
//    correct."), the form of judges prompted to explain themselves (the demo's GPT-4).
export type TVerdict = "YES" | "NO" | "UNPARSEABLE";
export type TParsedVerdict = { verdict: TVerdict; reason?: string };
export type TVerdictMode = "strict" | "leading";

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;

export function parseVerdict(reply: string | null | undefined, mode: TVerdictMode = "strict"): TParsedVerdict {
  if (reply == null || reply.trim() === "") return { verdict: "UNPARSEABLE", reason: "empty reply" };
  let text = reply.replace(THINK_BLOCK, "");
  if (/<think>/i.test(text)) return { verdict: "UNPARSEABLE", reason: "reasoning block never closed" };
  text = text
    .replace(/[*_`]+/g, "")
    .replace(/^[\s"'“”‘’«»]+/, "")
    .trim();
  if (text === "") return { verdict: "UNPARSEABLE", reason: "nothing after the reasoning block" };

  if (mode === "strict") {
    const word = text.replace(/[\s"'“”‘’«».,!;:]+$/, "").toLowerCase();
    if (word === "yes") return { verdict: "YES" };
    if (word === "no") return { verdict: "NO" };
  } else {
    const match = /^(yes|no)(?![\p{L}\p{N}])/iu.exec(text);
    if (match) return { verdict: match[1]!.toLowerCase() === "yes" ? "YES" : "NO" };
  }
  return { verdict: "UNPARSEABLE", reason: `reply is neither YES nor NO: "${truncate(text, 60)}"` };
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
