"use server";
// Server actions of the labels area: thin (validate, check the role, call lib/labels).
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { runAction } from "@/lib/http/action";
import { sourceWhere } from "@/lib/review/create";
import { adjudicate, ZAdjudicate, type TAdjudicate } from "./adjudicate";
import { applyBulkRelabel, previewBulkRelabel, undoBulkRelabel } from "./bulk-relabel";
import { setExpertLabel, ZLabelValue, ZSetLabel, type TSetLabel } from "./set-label";
import { ZRowId } from "@/lib/db/values";

export async function setExpertLabelAction(input: TSetLabel) {
  return runAction(async () => {
    const parsed = ZSetLabel.parse(input);
    const user = await requireRole("expert");
    return setExpertLabel(db(), user, parsed);
  });
}

export async function adjudicateAction(input: TAdjudicate) {
  return runAction(async () => {
    const parsed = ZAdjudicate.parse(input);
    const user = await requireRole("researcher");
    return adjudicate(db(), user, parsed);
  });
}

const ZBulk = z.object({
  filter: z.string().max(2000),
  value: ZLabelValue,
  note: z.string().trim().max(2000).default(""),
});
const ZBulkApply = ZBulk.extend({ expectedChanges: z.number().int().min(0) });

async function bulkTarget(filter: string) {
  const { datasetId, where } = await sourceWhere(db(), { filter });
  return { datasetId, where, filter };
}

export async function previewBulkRelabelAction(input: z.input<typeof ZBulk>) {
  return runAction(async () => {
    const parsed = ZBulk.parse(input);
    const user = await requireRole("researcher");
    return previewBulkRelabel(db(), user, await bulkTarget(parsed.filter), parsed);
  });
}

export async function applyBulkRelabelAction(input: z.input<typeof ZBulkApply>) {
  return runAction(async () => {
    const parsed = ZBulkApply.parse(input);
    const user = await requireRole("researcher");
    return applyBulkRelabel(db(), user, await bulkTarget(parsed.filter), parsed);
  });
}

export async function undoBulkRelabelAction(batchId: number) {
  return runAction(async () => {
    const id = ZRowId.parse(batchId);
    const user = await requireRole("researcher");
    return undoBulkRelabel(db(), user, id);
  });
}
