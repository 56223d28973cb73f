// GET /api/v1/responses/:id: one response with its question, reference, judgments (raw outputs
// included), expert labels and label history. Any signed-in role may read it.
import { NextResponse } from "next/server";
import { z } from "zod";
import { guarded } from "@/lib/http/route";
import { AppError } from "@/lib/errors";
import { getResponseDetail } from "@/lib/judgments/queries";
import { ZRowIdParam } from "@/lib/db/values";
import { otherMethods } from "@/lib/http/methods";

const ZParams = z.object({ id: ZRowIdParam });

export const GET = guarded<{ params: Promise<{ id: string }> }>({ role: "viewer", scope: "read" }, async (_request, { params, user }) => {
  const { id } = ZParams.parse(await params);
  const detail = await getResponseDetail(id);
  if (!detail) throw new AppError("NOT_FOUND", `Response ${id} does not exist.`);
  const mine = detail.labels.find((l) => l.user?.id === user.id && l.annotator === user.id);
  return NextResponse.json({
    data: { ...detail, myLabel: mine ? { value: mine.value, note: mine.note, version: mine.version } : null },
  });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
