// GET /api/v1/runs/:id: a run's progress (counts, throughput, ETA, tokens, errors by kind).
// PATCH /api/v1/runs/:id { action: "pause" | "resume" | "cancel" }.
import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { controlRun } from "@/lib/runs/control";
import { getRunProgress } from "@/lib/runs/queries";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type TContext = { params: Promise<{ id: string }> };
const runId = async (context: TContext) => ZRowIdParam.parse((await context.params).id);

export const GET = guarded<TContext>({ role: "viewer", scope: "read" }, async (_request, context) => {
  const progress = await getRunProgress(await runId(context));
  if (!progress) throw new AppError("NOT_FOUND", "no such run");
  return NextResponse.json({ data: progress });
});

const ZControl = z.object({ action: z.enum(["pause", "resume", "cancel"]) });

export const PATCH = guarded<TContext>({ role: "researcher", scope: "judge" }, async (request, context) => {
  const { action } = ZControl.parse(await readJsonBody(request, { optional: true }));
  const run = await controlRun(db(), await runId(context), action, context.user.id);
  return NextResponse.json({ data: run });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
