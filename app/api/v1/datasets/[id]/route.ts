// DELETE /api/v1/datasets/<id> {"confirm": "<the dataset's name>"}: an admin deletes a dataset
// with everything in it (lib/datasets/delete.ts). 202: marked, and its rows go in the background;
// it leaves every list at once. Signed-in sessions only, not API tokens.
import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { ZRowIdParam } from "@/lib/db/values";
import { deleteInBackground, startDatasetDeletion } from "@/lib/datasets/delete";
import { guarded } from "@/lib/http/route";

type Ctx = { params: Promise<{ id: string }> };

export const DELETE = guarded<Ctx>({ role: "admin", scope: null }, async (request, { params, user }) => {
  const id = ZRowIdParam.parse((await params).id);
  const { confirm } = z.object({ confirm: z.string().max(300) }).parse(await request.json().catch(() => ({})));
  const dataset = await startDatasetDeletion(db(), { datasetId: id, confirmName: confirm, actorId: user.id });
  deleteInBackground(db(), dataset.id);
  return NextResponse.json({ data: { ...dataset, status: "deleting" } }, { status: 202 });
});
