// The reward endpoint's options: per token (set by the admin who creates it) and per request (body
// fields, or query parameters for trainers that cannot change the body). A request's own option
// wins over the token's; what neither says takes the defaults below.
import { z } from "zod";
import { ZRowId } from "@/lib/db/values";
import { rowIdOf } from "@/lib/db/values";

const ZJudgeRef = z.union([ZRowId, z.string().trim().min(1).max(200)]);

/** Normalisation of the rewards returned (Eq. 5): none, over the batch, or per prompt group (GRPO). */
export const NORMALIZE = ["none", "batch", "group"] as const;
export type TNormalize = (typeof NORMALIZE)[number];

const ZNormalize = z.union([z.enum(NORMALIZE), z.boolean().transform((b): TNormalize => (b ? "batch" : "none"))], {
  error: `must be ${NORMALIZE.map((n) => `"${n}"`).join(", ")}, true (batch) or false (none)`,
});

export const ZRewardDefaults = z
  .object({
    judge: ZJudgeRef.optional(),
    /** binary: the verdict (Eq. 3); soft: the judge's soft reward (Eq. 4 or renormalised, per its setting) */
    reward: z.enum(["binary", "soft"], { error: 'must be "binary" or "soft"' }).optional(),
    normalize: ZNormalize.optional(),
    /** send only the response's last non-empty line (the paper's setup); unset = the judge's template decides */
    finalStep: z.boolean({ error: "must be true or false" }).optional(),
  })
  .strict();
export type TRewardDefaults = z.infer<typeof ZRewardDefaults>;

export type TRewardOptions = { judge: number | string; reward: "binary" | "soft"; normalize: TNormalize; finalStep: boolean | null };

/** Query parameters as options: ?judge=RM-7B&reward=soft&normalize=group&final_step=false */
export function optionsFromSearch(params: URLSearchParams): TRewardDefaults {
  const out: Record<string, unknown> = {};
  const judge = params.get("judge");
  // digits name a judge by id; digits beyond any id are left as a name (which no judge has)
  if (judge) out.judge = rowIdOf(judge) ?? judge;
  const reward = params.get("reward");
  if (reward) out.reward = reward;
  const normalize = params.get("normalize");
  if (normalize) out.normalize = normalize === "true" ? true : normalize === "false" ? false : normalize;
  const finalStep = params.get("final_step");
  if (finalStep) out.finalStep = finalStep === "true" ? true : finalStep === "false" ? false : finalStep;
  return parseRewardOptions(out);
}

/** A reward request's fault, named by its field as the trainer wrote it ("final_step", "labels[3]"). */
export class ProtocolError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Options from a request's body or query: the first fault as a ProtocolError naming the field as sent. */
export function parseRewardOptions(raw: Record<string, unknown>): TRewardDefaults {
  const parsed = ZRewardDefaults.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? "options");
  throw new ProtocolError(field === "finalStep" ? "final_step" : field, issue.message);
}

/** Request (body, then query) over token defaults over built-in defaults; a judge must be named somewhere. */
export function resolveOptions(layers: TRewardDefaults[]): { ok: true; options: TRewardOptions } | { ok: false; message: string } {
  const pick = <K extends keyof TRewardDefaults>(k: K) => layers.find((l) => l[k] !== undefined)?.[k];
  const judge = pick("judge");
  if (judge === undefined) return { ok: false, message: "judge: name the judge (in the body, ?judge=, or the token's defaults)" };
  return { ok: true, options: { judge, reward: pick("reward") ?? "binary", normalize: (pick("normalize") as TNormalize | undefined) ?? "none", finalStep: pick("finalStep") ?? null } };
}
