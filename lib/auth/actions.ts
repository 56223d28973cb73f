"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "./auth";

export async function signOutAction() {
  // Signing out needs no role: it only ends the caller's own session.
  await auth().api.signOut({ headers: await headers() });
  redirect("/login");
}
