"use server";
// Server actions of API tokens (admins only).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { runAction } from "@/lib/http/action";
import { ZRewardDefaults } from "@/lib/reward/options";
import { SCOPES } from "./scopes";
import { createToken, revokeToken } from "./tokens";
import { ZRowId } from "@/lib/db/values";

const ZNewToken = z.object({
  name: z.string().trim().min(1, "name the token (who or what uses it)").max(100),
  scopes: z.array(z.enum(SCOPES)).min(1, "Pick at least one scope."),
  rewardDefaults: ZRewardDefaults.default({}),
});
export type TNewToken = z.input<typeof ZNewToken>;

/** Creates a token; the token itself is in the answer once and never again. */
export async function createTokenAction(input: TNewToken) {
  return runAction(async () => {
    const parsed = ZNewToken.parse(input);
    const admin = await requireRole("admin");
    const created = await createToken(db(), parsed, admin.id);
    revalidatePath("/admin/tokens");
    return created;
  });
}

export async function revokeTokenAction(input: { id: number }) {
  return runAction(async () => {
    const { id } = z.object({ id: ZRowId }).parse(input);
    const admin = await requireRole("admin");
    await revokeToken(db(), id, admin.id);
    revalidatePath("/admin/tokens");
    return { id };
  });
}
