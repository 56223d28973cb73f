import { describe, expect, it } from "vitest";
import { importProgressLine } from "./import-progress";

const progress = { bytesRead: 500, fileBytes: 1000, rowsRead: 40, inserted: 0, skipped: 2, rejected: 1, phase: "writing" };

describe("importProgressLine", () => {
  it("says what is new by table, as the summary does: a judgments import adds judgments, not responses", () => {
    const line = importProgressLine({ ...progress, counts: { judgments: 37 } }, 0, 10_000);
    expect(line).toBe("\r[############............]  50% 40 rows read, new: 37 judgments, 2 already there, 1 rejected, 4 rows/s ETA 10 s   ");
    expect(importProgressLine({ ...progress, counts: { questions: 10, responses: 30, labels: 0 } }, 0, 10_000)).toContain("new: 10 questions, 30 responses, 2 already");
    expect(importProgressLine({ ...progress, counts: {} }, 0, 10_000)).toContain("new: none, ");
  });
});
