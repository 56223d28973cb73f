// Importing by response id: a row naming an id no response can have (beyond an integer column,
// or not a whole number) is one rejected row, not a failed import.
import { describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { importLabelsById } from "./import-by-id";

const prisma = testDb();

describe("importLabelsById", () => {
  it("rejects rows naming impossible response ids and imports the others", async () => {
    await resetDb();
    const dataset = await prisma.dataset.create({ data: { name: "by id" } });
    const question = await prisma.question.create({ data: { datasetId: dataset.id, key: "q1", text: "q", reference: "r" } });
    const response = await prisma.response.create({ data: { datasetId: dataset.id, questionId: question.id, key: "r1", text: "x", finalStep: "x" } });
    const summary = await prisma.$transaction((tx) =>
      importLabelsById(tx, { datasetId: dataset.id, importedById: null }, [
        { line: 1, responseId: response.id, annotator: "a", value: "correct" },
        { line: 2, responseId: 99999999999, annotator: "a", value: "correct" },
        { line: 3, responseId: 1.5, annotator: "a", value: "incorrect" },
      ]),
    );
    expect(summary.inserted).toBe(1);
    expect(summary.rejected).toEqual([
      { line: 2, field: "response_id", reason: "no response 99999999999 in this dataset" },
      { line: 3, field: "response_id", reason: "no response 1.5 in this dataset" },
    ]);
    expect(await prisma.expertLabel.count({ where: { responseId: response.id } })).toBe(1);
  });
});
