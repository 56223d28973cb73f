"use server";
// Server actions of user management (admins only).
import { revalidatePath } from "next/cache";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { runAction } from "@/lib/http/action";
import { createUser, ZNewUser, type TNewUser } from "./create";
import { setUserRole, ZSetRole, type TSetRole } from "./set-role";
import { setUserDisabled, setUserPassword, ZSetDisabled, ZSetPassword } from "./access";
import type { z } from "zod";

export async function createUserAction(input: TNewUser) {
  return runAction(async () => {
    const parsed = ZNewUser.parse(input);
    const admin = await requireRole("admin");
    const user = await createUser(db(), parsed, admin.id);
    revalidatePath("/admin/users");
    return user;
  });
}

export async function setUserRoleAction(input: TSetRole) {
  return runAction(async () => {
    const parsed = ZSetRole.parse(input);
    const admin = await requireRole("admin");
    const result = await setUserRole(db(), admin.id, parsed);
    revalidatePath("/admin/users");
    return result;
  });
}

export async function setUserDisabledAction(input: z.input<typeof ZSetDisabled>) {
  return runAction(async () => {
    const parsed = ZSetDisabled.parse(input);
    const admin = await requireRole("admin");
    const result = await setUserDisabled(db(), admin.id, parsed);
    revalidatePath("/admin/users");
    return result;
  });
}

export async function setUserPasswordAction(input: z.input<typeof ZSetPassword>) {
  return runAction(async () => {
    const parsed = ZSetPassword.parse(input);
    const admin = await requireRole("admin");
    return setUserPassword(db(), admin.id, parsed);
  });
}
