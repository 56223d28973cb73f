"use server";
// Server actions of the datasets area: thin (zod, role, lib).
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { ZRowId } from "@/lib/db/values";
import { runAction } from "@/lib/http/action";
import { deleteInBackground, startDatasetDeletion } from "./delete";
import { updateDataset, ZUpdateDataset, type TUpdateDataset } from "./update";

export async function deleteDatasetAction(input: { id: number; confirmName: string }) {
  return runAction(async () => {
    const { id, confirmName } = z.object({ id: ZRowId, confirmName: z.string().max(300) }).parse(input);
    const user = await requireRole("admin");
    const dataset = await startDatasetDeletion(db(), { datasetId: id, confirmName, actorId: user.id });
    deleteInBackground(db(), dataset.id);
    return dataset;
  });
}

export async function updateDatasetAction(input: { id: number } & TUpdateDataset) {
  return runAction(async () => {
    const { id, ...fields } = ZUpdateDataset.extend({ id: ZRowId }).parse(input);
    const user = await requireRole("researcher");
    return updateDataset(db(), id, fields, user.id);
  });
}
