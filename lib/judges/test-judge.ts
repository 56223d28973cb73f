// "Test judge": one real item through the judge, once (no retries, so the raw reply is the
// endpoint's first answer), with everything a person checking a new endpoint wants to see.
import type { PrismaClient } from "@/lib/db/generated/client";
import { eq4Reward, renormalizedReward } from "@/lib/verifier/soft-reward";
import { judgeOnEndpoint, type THttpExchange } from "./endpoint";
import type { TItemResult } from "./result";
import { judgeWithRule, loadRunnableJudge } from "./runnable";
import { sampleItem, type TSampleItem } from "./sample-item";
import { buildPrompt, type TChatMessage } from "./templates";

export type TJudgeTest = {
  item: TSampleItem;
  result: TItemResult & { eq4: number | null; renormalized: number | null };
  /** what was sent (chat messages, or the raw prompt for the completions API) */
  messages: TChatMessage[] | null;
  prompt: string | null;
  http: THttpExchange | null;
  totalMs: number;
};

export async function testJudge(prisma: PrismaClient, judgeId: number, options: { responseId?: number; datasetId?: number }): Promise<TJudgeTest> {
  const judge = await loadRunnableJudge(prisma, judgeId);
  const item = await sampleItem(prisma, options);
  const started = performance.now();
  let http: THttpExchange | null = null;
  let result: TItemResult;
  let messages: TChatMessage[] | null = null;
  let prompt: string | null = null;
  if (judge.kind === "rule_based") {
    result = judgeWithRule(judge.settings, item);
  } else {
    const built = buildPrompt(judge.template, item, judge.settings.api);
    messages = judge.settings.api === "chat" ? built.messages : null;
    prompt = judge.settings.api === "completions" ? built.prompt : null;
    result = await judgeOnEndpoint({ ...judge, settings: { ...judge.settings, retries: 0 } }, item, { onHttp: (x) => (http = x) });
  }
  return {
    item,
    result: { ...result, eq4: eq4Reward(result.verdict, result.pYes, result.pNo), renormalized: renormalizedReward(result.pYes, result.pNo) },
    messages,
    prompt,
    http,
    totalMs: Math.round(performance.now() - started),
  };
}
