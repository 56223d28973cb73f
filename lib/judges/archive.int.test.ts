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
import { flatCountsQuery } from "@/lib/io/export/flat";
import { ZFlatOptions } from "@/lib/io/export/options";
import { exportChoices } from "@/lib/io/queries";
import { countSource } from "@/lib/review/create";
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

  it("is refused to a resume of the judge's failed run, and to a filter on its verdicts; a start refused for one judge starts none", async () => {
    const { datasetId, imported, rule } = await seed();
    const endpoint = (await createJudge(prisma, { kind: "openai_compatible", name: "warm", settings: { baseUrl: "http://127.0.0.1:9/v1", model: "m", temperature: 1 } }, null))!.id;
    const [run] = await createRuns(prisma, { datasetId, judgeIds: [rule], source: "cli" }, null);
    await prisma.judgeRun.update({ where: { id: run!.id }, data: { status: "failed", error: "stopped" } });
    // A failed run is not under way: archiving is allowed, and resuming it is then refused.
    await setJudgeArchived(prisma, rule, true, null);
    expect((await refusal(controlRun(prisma, run!.id, "resume", null))).message).toBe(archivedMessage("contains"));
    expect((await prisma.judgeRun.findUniqueOrThrow({ where: { id: run!.id } })).status).toBe("failed");
    await setJudgeArchived(prisma, rule, false, null);

    // The judgments list leaves an archived judge's column out, so its verdicts select nothing
    // there: a run or a queue over such a filter is refused, not made of what the list hides.
    await setJudgeArchived(prisma, imported, true, null);
    const runs = await prisma.judgeRun.count();
    expect((await refusal(createRuns(prisma, { datasetId, judgeIds: [rule], filter: `verdict=${imported}:YES`, source: "cli" }, null))).message).toBe(`the filter names ${archivedMessage("G")}`);
    expect((await refusal(countSource(prisma, { filter: `dataset=${datasetId}&verdict=${imported}:YES` } as never))).message).toBe(`the filter names ${archivedMessage("G")}`);
    await setJudgeArchived(prisma, imported, false, null);

    // Two judges, the second refused (several samples of a rule): neither run is made.
    expect((await refusal(createRuns(prisma, { datasetId, judgeIds: [endpoint, rule], samples: 2, source: "cli" }, null))).message).toMatch(/^contains is a rule/);
    await setJudgeArchived(prisma, rule, true, null);
    expect((await refusal(createRuns(prisma, { datasetId, judgeIds: [endpoint, rule], source: "cli" }, null))).message).toBe(archivedMessage("contains"));
    expect(await prisma.judgeRun.count()).toBe(runs);
  });

  it("leaves the export form's pickers, and a flat export of every judge", async () => {
    const { datasetId, imported } = await seed();
    const every = ZFlatOptions.parse({ kind: "flat", datasetId, format: "jsonl" });
    const counted = async () => (await prisma.$queryRaw<{ judge: string; n: number }[]>(flatCountsQuery(every))).reduce((n, r) => n + r.n, 0);
    const choices = async () => (await exportChoices()).find((d) => d.id === datasetId)!.judges.map((j) => j.name);
    expect(await counted()).toBe(8);
    expect(await choices()).toEqual(["G"]);
    await setJudgeArchived(prisma, imported, true, null);
    expect(await counted()).toBe(0);
    expect(await choices()).toEqual([]);
  });
});
