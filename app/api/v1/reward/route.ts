// POST /api/v1/reward: OpenRLHF's remote reward-model protocol (docs/reward-server.md).
// Needs a token with the "reward" scope (header, or ?token= for trainers that cannot send
// headers) or a researcher's session.
import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { optionsFromSearch } from "@/lib/reward/options";
import { parseRewardBody, parseStep, ProtocolError } from "@/lib/reward/protocol";
import { judgeRewardBatch } from "@/lib/reward/service";
import { otherMethods } from "@/lib/http/methods";

const MAX_BODY_BYTES = Number(process.env.STUDIO_REWARD_MAX_BODY_MB ?? 256) * 1024 * 1024;

function defaultRun(now = new Date()): string {
  return `reward ${now.toISOString().slice(0, 10)}`;
}

export const POST = guarded({ role: "researcher", scope: "reward", queryToken: true }, async (request, { user, token }) => {
  const started = performance.now();
  const url = new URL(request.url);
  let parsed;
  let queryOptions;
  let headerStep: number | null;
  try {
    parsed = parseRewardBody(await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }));
    queryOptions = optionsFromSearch(url.searchParams);
    headerStep = parseStep(url.searchParams.get("step") ?? request.headers.get("x-training-step"), "step");
  } catch (error) {
    if (error instanceof ProtocolError) throw new AppError("INVALID", error.message, { field: error.field });
    throw error;
  }
  const run = parsed.run ?? url.searchParams.get("run")?.trim() ?? request.headers.get("x-training-run")?.trim() ?? defaultRun();
  if (run === "" || run.length > 200) throw new AppError("INVALID", "run: must be a non-empty name of at most 200 characters");
  const readMs = performance.now() - started;
  const answer = await judgeRewardBatch(
    db(),
    { ...parsed, step: parsed.step ?? headerStep },
    [queryOptions],
    { userId: user.id, tokenId: token?.tokenId ?? null, tokenDefaults: token?.rewardDefaults ?? {} },
    run,
  );
  // Where the time went, for the trainer's logs and browser tools (the Server-Timing header).
  const { judge_ms, record_ms } = answer.studio.timings;
  const serverTiming = `read;dur=${readMs.toFixed(1)}, judge;dur=${judge_ms}, record;dur=${record_ms}, total;dur=${(performance.now() - started).toFixed(1)}`;
  return NextResponse.json(answer, { headers: { "server-timing": serverTiming } });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
