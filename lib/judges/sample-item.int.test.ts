// The item "Test judge" and template previews use: a given response, or one drawn from a dataset.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { seedDataset } from "@/tests/runs";
import { sampleItem } from "./sample-item";

const prisma = testDb();
beforeEach(() => resetDb());
afterAll(() => prisma.$disconnect());

describe("sampleItem", () => {
  it("gives the response asked for, and refuses one of another dataset than the one chosen", async () => {
    const a = await seedDataset(prisma, 4, "a");
    const b = await seedDataset(prisma, 4, "b");
    const inB = await prisma.response.findFirstOrThrow({ where: { datasetId: b }, select: { id: true } });
    expect(await sampleItem(prisma, { responseId: inB.id })).toMatchObject({ responseId: inB.id, datasetId: b, datasetName: "b" });
    expect(await sampleItem(prisma, { responseId: inB.id, datasetId: b })).toMatchObject({ responseId: inB.id });
    await expect(sampleItem(prisma, { responseId: inB.id, datasetId: a })).rejects.toThrow(`response ${inB.id} is in dataset "b", not the one chosen`);
    // Drawn from the dataset chosen.
    expect((await sampleItem(prisma, { datasetId: a, seed: 1 })).datasetId).toBe(a);
  });
});
