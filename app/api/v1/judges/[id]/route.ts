// GET /api/v1/judges/:id: a judge with its endpoint (base URL, model) or rule; never a key.
// PATCH /api/v1/judges/:id { archived: true | false }: archives or restores it (lib/judges/archive.ts).
import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { setJudgeArchived } from "@/lib/judges/archive";
import { listJudges } from "@/lib/judges/queries";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

type TContext = { params: Promise<{ id: string }> };
const judgeId = async (context: TContext) => ZRowIdParam.parse((await context.params).id);

export const GET = guarded<TContext>({ role: "viewer", scope: "read" }, async (_request, context) => {
  // The list's summary of it: the same fields as GET /api/v1/judges.
  const [judge] = await listJudges({ id: await judgeId(context) });
  if (!judge) throw new AppError("NOT_FOUND", "no such judge");
  return NextResponse.json({ data: judge });
});

const ZChange = z.object({ archived: z.boolean({ message: "archived: must be true or false" }) }).strict();

export const PATCH = guarded<TContext>({ role: "researcher", scope: "judge" }, async (request, context) => {
  const { archived } = ZChange.parse(await readJsonBody(request, { optional: true }));
  const judge = await setJudgeArchived(db(), await judgeId(context), archived, context.user.id);
  return NextResponse.json({ data: { id: judge.id, name: judge.name, archivedAt: judge.archivedAt } });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
