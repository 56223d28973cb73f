// A small dataset for the analytics integration tests, built from a seeded generator so it holds
// every case (unparseable replies, failed calls, missing judgments, older template versions,
// repeated samples, ties and unsure labels, a second dataset that must not leak in), plus the
// raw rows read back from the tables, from which the tests recompute every figure with the pure
// functions of lib/stats.
import { isEmbeddedVersion } from "@/lib/db/connection";
import type { PrismaClient } from "@/lib/db/generated/client";
import { importItems } from "@/lib/io/import-items";
import { CHUNK_BITS } from "@/lib/stats/partials";
import { resetDb } from "@/tests/db";
import { importJudgmentsById, importLabelsById, type TJudgmentByIdRow, type TLabelByIdRow } from "@/lib/io/import-by-id";

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export type TFixture = {
  datasetId: number;
  otherDatasetId: number;
  judges: { id: number; name: string; sizeLabel: string; templateVersion: string }[];
};

const SUBJECTS = ["medicine", "chemistry", null];
const VERDICTS = ["YES", "YES", "NO", "NO", "YES", "UNPARSEABLE", "FAILED", "NONE"] as const;
// Soft rewards including the bin edges, where a wrong bin formula would show.
const SOFTS = [0, 0.05, 0.1, 0.15, 0.3, 0.45, 0.5, 0.55, 0.7, 0.8, 0.9, 0.95, 1];

async function buildDataset(prisma: PrismaClient, name: string, seed: number, judges: TFixture["judges"], questions: number) {
  const next = random(seed);
  const dataset = await prisma.dataset.create({ data: { name } });
  const items = [];
  for (let q = 0; q < questions; q++) {
    const k = 1 + Math.floor(next() * 5); // groups of 1..5 responses
    for (let s = 0; s < k; s++) {
      items.push({
        line: items.length + 1,
        question: `${name} question ${q}`,
        reference: `ref ${q}`,
        subject: SUBJECTS[q % SUBJECTS.length],
        response: `${name} answer ${q}.${s} `.padEnd([50, 300, 700, 1500, 2500, 5000][Math.floor(next() * 6)]!, "x"),
        policyModel: next() < 0.5 ? "policy-a" : "policy-b",
        sampleIndex: s,
      });
    }
  }
  // In three parts, each starting a few ids before the end of a later chunk of response ids
  // (lib/stats/partials.ts): the dataset spans chunks, with a gap, and a part crosses a chunk's
  // end, as a dataset imported over time does.
  const parts = [items.slice(0, Math.floor(items.length / 3)), items.slice(Math.floor(items.length / 3), Math.floor((2 * items.length) / 3)), items.slice(Math.floor((2 * items.length) / 3))];
  for (const [i, part] of parts.entries()) {
    if (i > 0) await prisma.$queryRawUnsafe(`SELECT setval('responses_id_seq', ((last_value >> ${CHUNK_BITS}) + 2) * ${2 ** CHUNK_BITS} - 3) FROM responses_id_seq`);
    await importItems(prisma, dataset.id, part);
  }
  const responses = await prisma.response.findMany({ where: { datasetId: dataset.id }, select: { id: true }, orderBy: { id: "asc" } });

  for (const [index, judge] of judges.entries()) {
    const run = await prisma.judgeRun.create({ data: { judgeId: judge.id, datasetId: dataset.id, source: "import" } });
    const rows: TJudgmentByIdRow[] = [];
    for (const { id } of responses) {
      const samples = index === 0 && next() < 0.4 ? 3 : 1;
      for (let sample = 0; sample < samples; sample++) {
        const v = VERDICTS[Math.floor(next() * VERDICTS.length)]!;
        if (v === "NONE" && sample === 0) break;
        if (v === "NONE") continue;
        if (v === "FAILED") rows.push({ line: id, responseId: id, sample, verdict: null, error: "timeout" });
        else {
          const soft = v === "UNPARSEABLE" ? null : SOFTS[Math.floor(next() * SOFTS.length)]!;
          rows.push({ line: id, responseId: id, sample, verdict: v, softReward: soft, pYes: soft });
        }
      }
    }
    await importJudgmentsById(prisma, { datasetId: dataset.id, judgeId: judge.id, runId: run.id, templateVersion: judge.templateVersion }, rows);
    // An older template version saying YES everywhere: no view may count it.
    await importJudgmentsById(prisma, { datasetId: dataset.id, judgeId: judge.id, templateVersion: "old" }, responses.map((r) => ({ line: r.id, responseId: r.id, verdict: "YES", softReward: 1 })));
  }

  const labels: TLabelByIdRow[] = [];
  for (const { id } of responses) {
    for (const annotator of ["a1", "a2", "a3"]) {
      if (next() < 0.45) continue;
      const u = next();
      labels.push({ line: id, responseId: id, annotator, value: u < 0.1 ? "unsure" : u < 0.55 ? "correct" : "incorrect" });
    }
  }
  await prisma.$transaction((tx) => importLabelsById(tx, { datasetId: dataset.id, importedById: null }, labels));
  return dataset.id;
}

export async function buildFixture(prisma: PrismaClient): Promise<TFixture> {
  const judges = [
    { ...(await prisma.judge.create({ data: { name: "Judge 72B", kind: "external", sizeLabel: "72B", templateVersion: "v2" } })) },
    { ...(await prisma.judge.create({ data: { name: "Judge 7B", kind: "external", sizeLabel: "7B" } })) },
  ].map((j) => ({ id: j.id, name: j.name, sizeLabel: j.sizeLabel, templateVersion: j.templateVersion }));
  const datasetId = await buildDataset(prisma, "analytics", 7, judges, 60);
  const otherDatasetId = await buildDataset(prisma, "analytics-other", 99, judges, 15);
  return { datasetId, otherDatasetId, judges };
}

// ---------------------------------------------------------------------------------------------
// The rows, read back plainly.

export type TItem = {
  id: number;
  questionId: number;
  subject: string | null;
  policyModel: string;
  textLength: number;
  gold: "correct" | "incorrect" | "unsure" | null;
  /** judge id -> samples of the current template version, by sample index */
  judgments: Map<number, { sample: number; verdict: string | null; soft: number | null }[]>;
  labels: { annotator: string; value: "correct" | "incorrect" | "unsure" }[];
};

export async function readItems(prisma: PrismaClient, datasetId: number, judges: TFixture["judges"]): Promise<TItem[]> {
  const responses = await prisma.response.findMany({
    where: { datasetId },
    orderBy: { id: "asc" },
    select: {
      id: true,
      questionId: true,
      policyModel: true,
      textLength: true,
      goldLabel: true,
      question: { select: { subject: true } },
      judgments: { select: { judgeId: true, templateVersion: true, sample: true, verdict: true, softReward: true } },
      labels: { select: { annotator: true, value: true } },
    },
  });
  return responses.map((r) => ({
    id: r.id,
    questionId: r.questionId,
    subject: r.question.subject,
    policyModel: r.policyModel,
    textLength: r.textLength,
    gold: r.goldLabel,
    judgments: new Map(
      judges.map((j) => [
        j.id,
        r.judgments
          .filter((x) => x.judgeId === j.id && x.templateVersion === j.templateVersion)
          .sort((a, b) => a.sample - b.sample)
          .map((x) => ({ sample: x.sample, verdict: x.verdict, soft: x.softReward })),
      ]),
    ),
    labels: r.labels,
  }));
}

/** A judge's answer on an item as the views define it: sample 0, YES -> true, NO -> false. */
export function answerOf(item: TItem, judgeId: number): boolean | null {
  const first = item.judgments.get(judgeId)?.find((j) => j.sample === 0);
  return first?.verdict === "YES" ? true : first?.verdict === "NO" ? false : null;
}

export const goldOf = (item: TItem) => (item.gold === "correct" ? true : item.gold === "incorrect" ? false : null);

/** A reset database with the fixture built and its items read, and whether it is the embedded database. */
export async function setUpFixture(prisma: PrismaClient): Promise<{ fx: TFixture; items: TItem[]; isEmbedded: boolean }> {
  await resetDb();
  const [row] = await prisma.$queryRaw<{ version: string }[]>`SELECT version()`;
  const fx = await buildFixture(prisma);
  return { fx, items: await readItems(prisma, fx.datasetId, fx.judges), isEmbedded: isEmbeddedVersion(row!.version) };
}
