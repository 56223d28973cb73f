// A dataset's name and description, changed by a researcher. Imports into a dataset and the
// reward endpoint's training runs find it by name, so a rename is recorded (audit) and the page
// says so; the name stays unique.
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { caseTwinError, caseTwinSql, lockNameSql } from "./names";
import { assertNotDeleting } from "./delete";

/**
 * Either field may be left out: it keeps its value. `expected`: the name and description the
 * change was made from (the edit form sends them); if either changed meanwhile the change is
 * refused with the current ones, rather than silently putting back a name another user changed.
 */
export const ZUpdateDataset = z
  .object({
    // as an import names a dataset (lib/io/schema.ts)
    name: z.string().trim().min(1, "Name the dataset.").max(200).optional(),
    description: z.string().trim().max(2000).optional(),
    expected: z.object({ name: z.string(), description: z.string() }).strict().optional(),
  })
  .strict();
export type TUpdateDataset = z.input<typeof ZUpdateDataset>;

export async function updateDataset(prisma: PrismaClient, datasetId: number, input: TUpdateDataset, actorId: string | null) {
  const asked = ZUpdateDataset.parse(input);
  return prisma.$transaction(async (tx) => {
    // Before the row's lock, as every writer of names takes them (./names.ts).
    if (asked.name !== undefined) await tx.$queryRaw(lockNameSql(asked.name));
    const [dataset] = await tx.$queryRaw<{ name: string; description: string; deleting_at: Date | null }[]>`
      SELECT name, description, deleting_at FROM datasets WHERE id = ${datasetId} FOR UPDATE`;
    if (!dataset) throw new AppError("NOT_FOUND", `no dataset ${datasetId}`);
    assertNotDeleting({ name: dataset.name, deletingAt: dataset.deleting_at });
    const { expected } = asked;
    if (expected && (expected.name.trim() !== dataset.name || expected.description.trim() !== dataset.description)) {
      throw new AppError("CONFLICT", `The dataset was changed meanwhile: it is now named "${dataset.name}"${dataset.description !== expected.description.trim() ? " with another description" : ""}. Reload to edit what it is now.`, {
        current: { name: dataset.name, description: dataset.description },
      });
    }
    const data = { name: asked.name ?? dataset.name, description: asked.description ?? dataset.description };
    if (data.name === dataset.name && data.description === dataset.description) return { id: datasetId, ...data };
    if (data.name !== dataset.name && (await tx.dataset.findUnique({ where: { name: data.name }, select: { id: true } }))) {
      throw new AppError("CONFLICT", `a dataset named "${data.name}" exists already`);
    }
    const [twin] = data.name !== dataset.name ? await tx.$queryRaw<{ name: string }[]>(caseTwinSql(data.name, datasetId)) : [];
    if (twin) throw caseTwinError(data.name, twin.name);
    await tx.dataset.update({ where: { id: datasetId }, data }).catch((error: unknown) => {
      // a dataset of that name made meanwhile (an import, the reward endpoint)
      if ((error as { code?: string }).code === "P2002") throw new AppError("CONFLICT", `a dataset named "${data.name}" exists already`);
      throw error;
    });
    await recordAudit(tx, {
      actorId,
      action: "dataset.update",
      entity: "dataset",
      entityId: datasetId,
      data: { from: { name: dataset.name, description: dataset.description }, to: data },
    });
    return { id: datasetId, ...data };
  });
}
