import "server-only";
import { db } from "@/lib/db/client";

export async function listUsers() {
  return db().user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: { id: true, name: true, email: true, role: true, createdAt: true, disabledAt: true },
  });
}
