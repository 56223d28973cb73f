"use server";
// Server actions of the runs pages: researchers start, pause, resume and cancel runs.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { runAction } from "@/lib/http/action";
import { controlRun } from "./control";
import { createRuns, ZStartRuns } from "./create-run";
import { ZRowId } from "@/lib/db/values";

const ZStartRunsForm = ZStartRuns.omit({ source: true });

export async function startRunsAction(input: z.input<typeof ZStartRunsForm>) {
  return runAction(async () => {
    const parsed = ZStartRunsForm.parse(input);
    const user = await requireRole("researcher");
    const runs = await createRuns(db(), { ...parsed, source: "ui" }, user.id);
    revalidatePath("/runs");
    return runs;
  });
}

const ZControl = z.object({ runId: ZRowId, action: z.enum(["pause", "resume", "cancel"]) });

export async function controlRunAction(input: z.input<typeof ZControl>) {
  return runAction(async () => {
    const parsed = ZControl.parse(input);
    const user = await requireRole("researcher");
    const run = await controlRun(db(), parsed.runId, parsed.action, user.id);
    revalidatePath(`/runs/${parsed.runId}`);
    return run;
  });
}
