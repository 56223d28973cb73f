"use server";
// Server actions of the labels area: thin (validate, check the role, call lib/labels).
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { runAction } from "@/lib/http/action";
import { setExpertLabel, ZSetLabel, type TSetLabel } from "./set-label";

export async function setExpertLabelAction(input: TSetLabel) {
  return runAction(async () => {
    const parsed = ZSetLabel.parse(input);
    const user = await requireRole("expert");
    return setExpertLabel(db(), user, parsed);
  });
}
