// Archiving a judge against a real database: it leaves the dataset's judges (the one list the
// judgments list, analytics, review and exports read), every use of it is refused with one
// message, its judgments stay, and restoring it brings them back.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { seedDataset } from "@/tests/runs";
import { datasetJudges } from "@/lib/datasets/queries";
import { AppError } from "@/lib/errors";
import { importFile } from "@/lib/io/import-file";
import { createExport } from "@/lib/io/export/run";
import { controlRun } from "@/lib/runs/control";
import { createRuns } from "@/lib/runs/create-run";
import { findJudge } from "@/lib/runs/resolve";
import { archivedMessage, setJudgeArchived } from "./archive";
import { createJudge } from "./manage";

const prisma = testDb();
const dir = mkdtempSync(path.join(tmpdir(), "archive-"));
process.env.STUDIO_DATA_DIR = dir;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await prisma.$disconnect();
});
beforeEach(() => resetDb());

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** A dataset of 8 responses with verdicts of an imported judge "G" on each, and a rule judge. */
async function seed() {
  const items = Array.from({ length: 8 }, (_, i) => ({ question: `q${i >> 1}?`, reference: `a${i >> 1}`, response: i % 2 ? "wrong" : `a${i >> 1}`, judge: "G", verdict: i % 2 ? "NO" : "YES" }));
  const file = path.join(dir, "items.jsonl");
  writeFileSync(file, items.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await importFile(prisma, { path: file, dataset: "d" });
  const datasetId = (await prisma.dataset.findUniqueOrThrow({ where: { name: "d" } })).id;
  const imported = (await prisma.judge.findUniqueOrThrow({ where: { name: "G" } })).id;
  const rule = (await createJudge(prisma, { kind: "rule_based", name: "contains", settings: { rule: "containment" } }, null))!.id;
  return { datasetId, imported, rule, file };
}

const judgeNamesOf = async (datasetId: number) => ((await datasetJudges([datasetId])).get(datasetId) ?? []).map((j) => j.name);

describe("archiving a judge", () => {
  it("takes it out of the dataset's judges and keeps its judgments; restoring brings it back; both are audited", async () => {
    const { datasetId, imported } = await seed();
    expect(await judgeNamesOf(datasetId)).toEqual(["G"]);
    const archived = await setJudgeArchived(prisma, imported, true, null);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(await judgeNamesOf(datasetId)).toEqual([]);
    expect(await prisma.judgment.count({ where: { judgeId: imported } })).toBe(8);
    // Archiving again changes nothing and records nothing more.
    await setJudgeArchived(prisma, imported, true, null);
    await setJudgeArchived(prisma, imported, false, null);
    expect(await judgeNamesOf(datasetId)).toEqual(["G"]);
    expect((await prisma.auditEvent.findMany({ where: { entity: "judge", entityId: String(imported) }, orderBy: { id: "asc" } })).map((e) => e.action)).toEqual([
      "judge.archive",
      "judge.restore",
    ]);
    expect((await refusal(setJudgeArchived(prisma, 999_999, true, null))).code).toBe("NOT_FOUND");
  });

  it("is refused while a run of the judge is queued, and allowed once it is cancelled", async () => {
    const datasetId = await seedDataset(prisma, 12);
    const rule = (await createJudge(prisma, { kind: "rule_based", name: "contains", settings: { rule: "containment" } }, null))!.id;
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [rule], source: "cli" }, null);
    const error = await refusal(setJudgeArchived(prisma, rule, true, null));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe(`judge "contains" has run ${run!.id} queued: cancel it, or let it finish, before archiving the judge`);
    expect((await prisma.judge.findUniqueOrThrow({ where: { id: rule } })).archivedAt).toBeNull();
    await controlRun(prisma, run!.id, "cancel", null);
    expect((await setJudgeArchived(prisma, rule, true, null)).archivedAt).not.toBeNull();
  });

  it("refuses every use of it by name or id, saying how to use it again: runs, the reward endpoint's lookup, imports, exports", async () => {
    const { datasetId, imported, rule, file } = await seed();
    await setJudgeArchived(prisma, rule, true, null);
    await setJudgeArchived(prisma, imported, true, null);

    const run = await refusal(createRuns(prisma, { datasetId, judgeIds: [rule], source: "cli" }, null));
    expect(run.message).toBe(archivedMessage("contains"));
    expect(await prisma.judgeRun.count({ where: { judgeId: rule } })).toBe(0);
    for (const ref of ["contains", rule, String(rule)]) expect((await refusal(findJudge(prisma, ref))).message).toBe(archivedMessage("contains"));
    // A name nobody has lists the judges in use only.
    expect((await refusal(findJudge(prisma, "nope"))).message).toBe(`no judge "nope" (judges: none yet; add one on the Judges page)`);

    // An import naming it stops, and leaves the database as it was.
    const before = await prisma.judgment.count();
    const imports = await prisma.judgeRun.count();
    const again = await refusal(importFile(prisma, { path: file, dataset: "d2" }));
    expect(again.message).toBe(`${archivedMessage("G")}. Nothing was imported.`);
    expect(await prisma.judgment.count()).toBe(before);
    expect(await prisma.judgeRun.count()).toBe(imports);
    expect(await prisma.dataset.count({ where: { name: "d2" } })).toBe(0);

    for (const options of [
      { kind: "distillation", datasetId, teacherJudgeId: imported },
      { kind: "flat", datasetId, judgeIds: [imported] },
    ]) {
      expect((await refusal(createExport(prisma, { options, actorId: null, source: "cli" }))).message).toBe(archivedMessage("G"));
    }
    expect(await prisma.export.count()).toBe(0);

    await setJudgeArchived(prisma, rule, false, null);
    expect(await findJudge(prisma, "contains")).toEqual({ id: rule, name: "contains" });
    const [started] = await createRuns(prisma, { datasetId, judgeIds: [rule], source: "cli" }, null);
    expect(started!.total).toBe(8);
  });
});
