// GET /api/v1/datasets/<id>: one dataset with its counts and judges, as in the list.
// PATCH /api/v1/datasets/<id> {"name"?, "description"?}: a researcher renames a dataset or changes
// its description (lib/datasets/update.ts); token scope "import".
// DELETE /api/v1/datasets/<id> {"confirm": "<the dataset's name>"}: an admin deletes a dataset
// with everything in it (lib/datasets/delete.ts), from a signed-in session only, not an API token.
// 202: marked, and its rows go in the background; it leaves every picker at once.
import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { ZRowIdParam } from "@/lib/db/values";
import { deleteInBackground, startDatasetDeletion } from "@/lib/datasets/delete";
import { listDatasets } from "@/lib/datasets/queries";
import { AppError } from "@/lib/errors";
import { updateDataset, ZUpdateDataset } from "@/lib/datasets/update";
import { readJsonBody } from "@/lib/http/body";
import { guarded } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/methods";

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded<Ctx>({ role: "viewer", scope: "read" }, async (_request, { params }) => {
  const id = ZRowIdParam.parse((await params).id);
  const [dataset] = await listDatasets({ id });
  if (!dataset) throw new AppError("NOT_FOUND", `no dataset ${id}`);
  return NextResponse.json({ data: dataset });
});

export const DELETE = guarded<Ctx>({ role: "admin", scope: null }, async (request, { params, user }) => {
  const id = ZRowIdParam.parse((await params).id);
  const { confirm } = z.object({ confirm: z.string().max(300) }).parse(await readJsonBody(request));
  const dataset = await startDatasetDeletion(db(), { datasetId: id, confirmName: confirm, actorId: user.id });
  deleteInBackground(db(), dataset.id);
  return NextResponse.json({ data: { ...dataset, status: "deleting" } }, { status: 202 });
});

export const PATCH = guarded<Ctx>({ role: "researcher", scope: "import" }, async (request, { params, user }) => {
  const id = ZRowIdParam.parse((await params).id);
  const updated = await updateDataset(db(), id, ZUpdateDataset.parse(await readJsonBody(request)), user.id);
  return NextResponse.json({ data: updated });
});

// Any other method: a JSON 405 naming the ones this route takes (lib/http/methods.ts).
export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
