// The exports list's summary of an export's options, worked out by hand for each kind.
import { describe, expect, it } from "vitest";
import { describeExportOptions, ZExportOptions } from "./options";

const names = new Map([[1, "Qwen 72B"], [2, "Qwen 7B"]]);
const judgeName = (id: number) => names.get(id) ?? `judge ${id}`;

describe("describeExportOptions", () => {
  it("names the teacher, the filters that differ from the defaults, the splits and the seed of a distillation set", () => {
    expect(describeExportOptions({ kind: "distillation", datasetId: 3, teacherJudgeId: 1, splits: { train: 0.9, validation: 0.05, test: 0.05 }, seed: 42 }, judgeName)).toBe(
      "teacher Qwen 72B · experts override · 0.9 / 0.05 / 0.05 · seed 42",
    );
    expect(
      describeExportOptions(
        { kind: "distillation", datasetId: 3, teacherJudgeId: 1, expertOverride: false, dropUnparseable: false, agreeJudgeIds: [1, 2], balance: true, systemMessage: true, parquet: false },
        judgeName,
      ),
    ).toBe("teacher Qwen 72B · unparseable kept · agree: Qwen 72B = Qwen 7B · balanced · system message · no Parquet · one split · seed 0");
  });

  it("describes RLVR and flat exports, and a judge that no longer exists by its id", () => {
    expect(describeExportOptions({ kind: "rlvr", datasetId: 3, subjects: ["law", "chemistry"], systemPrompt: "Be brief.", seed: 7, splits: { train: 0.8, validation: 0.2, test: 0 } }, judgeName)).toBe(
      'subjects: law, chemistry · system message "Be brief." · 0.8 / 0.2 / 0 · seed 7',
    );
    expect(describeExportOptions({ kind: "rlvr", datasetId: 3, systemPrompt: "x".repeat(50) }, judgeName)).toBe(`system message "${"x".repeat(39)}…" · one split · seed 0`);
    expect(describeExportOptions({ kind: "rlvr", datasetId: 3 }, judgeName)).toBe("default system message · one split · seed 0");
    expect(describeExportOptions({ kind: "flat", datasetId: 3 }, judgeName)).toBe("JSONL · every judge");
    expect(describeExportOptions({ kind: "flat", datasetId: 3, format: "csv", judgeIds: [2, 9] }, judgeName)).toBe("CSV · judges: Qwen 7B, judge 9");
  });

  it("shows options it cannot read as they are stored", () => {
    expect(describeExportOptions({ kind: "other", x: 1 }, judgeName)).toBe('{"kind":"other","x":1}');
  });
});

describe("invalid options", () => {
  const issues = (options: unknown) => {
    const parsed = ZExportOptions.safeParse(options);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  };
  it("name the field and what it takes, as the export form shows them", () => {
    const base = { kind: "rlvr", datasetId: 1 };
    for (const seed of ["abc", 1.5, -3]) expect(issues({ ...base, seed })).toEqual(["the seed must be a whole number from 0 to 2147483647"]);
    expect(issues({ ...base, splits: { train: Number.NaN, validation: 0, test: 0 } })).toContain("the train fraction must be a number from 0 to 1");
    expect(issues({ ...base, splits: { train: 0.5, validation: 2, test: 0 } })).toContain("the validation fraction must be a number from 0 to 1");
    expect(issues({ ...base, splits: { train: 0.5, validation: 0.2, test: 0.2 } })).toEqual(["split fractions must add up to 1"]);
  });
});
