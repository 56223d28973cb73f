// The demo data set: openqa-eval (Kamalloo et al., ACL 2023, MIT), 301 Natural Questions with
// 1,490 model answers, each judged by GPT-4 (a verdict in words), by BEM (a small BERT judge with
// probabilities) and by human annotators. It is loaded through the same importers users call.
//
// The three files do not line up by id or row, so they are joined as follows (also in
// prisma/demo/openqa-eval/SOURCE.md):
//  1. Responses come from NQ301_human.tsv, in file order; a response's sample index is its
//     position among the answers to its question. References are the question's gold answers
//     from NQ301_BEM.tsv ("a | b" as in the file; the list is kept in the question's metadata).
//  2. A row of a judge file belongs to the human row with the same (Question, Model answer),
//     compared after removing double quotes and whitespace (the files quote fields
//     inconsistently and BEM's file spells "20 %" as "20%"); when a key occurs several times,
//     the k-th occurrence in one file pairs with the k-th in the other.
//  3. Rows that find no partner are reported and left out (GPT-4 judged "July 11 1901" where the
//     human file has "558"; BEM's file has "US$1,499.00" for "US$1,499").
//  4. Each annotator column becomes one expert label (Yes -> correct, No -> incorrect); the
//     gold label, their majority, is checked against the file's "Acceptable?" column.
//  5. GPT-4's verdict is the first word of its reply (Yes/No); replies that start otherwise
//     ("The candidate is partially correct...") are UNPARSEABLE, with the reply kept.
//     BEM's soft score is the largest P(correct) over the gold answers; its verdict is YES when
//     that score is at least 0.5.
import path from "node:path";
import type { PrismaClient } from "@/lib/db/generated/client";
import { importItems, type TItemRow } from "@/lib/io/import-items";
import { importJudgments, type TJudgmentRow } from "@/lib/io/import-judgments";
import { importLabels, type TLabelRow } from "@/lib/io/import-labels";
import { readTable, type TRecord } from "@/lib/io/read-table";
import type { TImportSummary } from "@/lib/io/types";
import { recordAudit } from "@/lib/audit/record";
import { parseVerdict } from "@/lib/verifier/verdict";

export const DEMO_DATASET = "openqa-eval NQ301";
export const demoDir = () => path.join(process.cwd(), "prisma", "demo", "openqa-eval");

type Row = { line: number; get: (column: string) => string };

async function readRows(file: string): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const item of readTable(file, "tsv")) {
    if ("error" in item) throw new Error(`${path.basename(file)}:${item.line}: ${item.error}`);
    const record: TRecord = item.record;
    rows.push({ line: item.line, get: (column) => String(record[column] ?? "") });
  }
  return rows;
}

/** The join key of rule 2. */
export const joinKey = (question: string, answer: string) =>
  `${question.replace(/["\s]/g, "")}\u0000${answer.replace(/["\s]/g, "")}`;

/** Pairs each row of `other` with a row of `human` (rule 2); returns pairs and the unpaired. */
export function pairRows<T extends Row>(human: Row[], other: T[]) {
  const queue = new Map<string, Row[]>();
  for (const row of human) {
    const key = joinKey(row.get("Question"), row.get("Model answer"));
    queue.set(key, [...(queue.get(key) ?? []), row]);
  }
  const pairs: { human: Row; other: T }[] = [];
  const unpaired: T[] = [];
  for (const row of other) {
    const match = queue.get(joinKey(row.get("Question"), row.get("Model answer")))?.shift();
    if (match) pairs.push({ human: match, other: row });
    else unpaired.push(row);
  }
  // Same order as the human file, so the importer's k-th-occurrence rule sees the same order.
  pairs.sort((a, b) => a.human.line - b.human.line);
  return { pairs, unpaired };
}

export type TDemoReport = {
  datasetId: number;
  items: TImportSummary & { questionsInserted: number; responsesInserted: number };
  labels: TImportSummary;
  judges: Record<string, TImportSummary & { unpairedLines: number[] }>;
  goldMismatches: number;
};

// Windows-1252's characters for bytes 0x80-0x9F (the other bytes are their Latin-1 code points).
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/**
 * Text whose UTF-8 bytes were once read as Windows-1252 and written again as UTF-8, restored:
 * BEM's file has 7 gold answers so spelled (on 34 lines) ("2.45Â billion" for "2.45\u00a0billion", "30â€“31" for
 * "30–31", "Ã¡" for "á"), which a judge then compares with the model's answer. Text that does not
 * read back as UTF-8 that way is left as it is.
 */
export function repairMojibake(text: string): string {
  if (!/[ÂÃâ][\u0080-\u00bf\u0152-\u2122]/.test(text)) return text;
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const high = CP1252_HIGH.indexOf(ch);
    if (high >= 0) bytes.push(0x80 + high);
    else if (code <= 0xff) bytes.push(code);
    else return text;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return text;
  }
}

export async function loadOpenQaDemo(prisma: PrismaClient, options: { dir?: string; actorId?: string | null } = {}): Promise<TDemoReport> {
  const dir = options.dir ?? demoDir();
  const [human, gpt4, bem] = await Promise.all(
    ["NQ301_human.tsv", "NQ301_gpt-4.tsv", "NQ301_BEM.tsv"].map((f) => readRows(path.join(dir, f))),
  );

  const gold = new Map<string, string>();
  for (const row of bem!) if (!gold.has(row.get("Question"))) gold.set(row.get("Question"), repairMojibake(row.get("Gold answers")));
  const position = new Map<string, number>();
  const items: TItemRow[] = human!.map((row) => {
    const question = row.get("Question");
    const sampleIndex = position.get(question) ?? 0;
    position.set(question, sampleIndex + 1);
    const reference = gold.get(question) ?? "";
    return {
      line: row.line,
      question,
      reference,
      response: row.get("Model answer"),
      sampleIndex,
      language: "en",
      subject: "open-domain QA",
      questionExternalId: `nq301-${row.get("id")}`,
      questionMetadata: { goldAnswers: reference.split("|").map((s) => s.trim()).filter(Boolean), source: "NQ301" },
    };
  });

  const labelRows: TLabelRow[] = human!.flatMap((row) =>
    ["annotator1", "annotator2", "annotator3"].flatMap((annotator) => {
      const value = row.get(annotator);
      if (value !== "Yes" && value !== "No") return [];
      return [{ line: row.line, question: row.get("Question"), response: row.get("Model answer"), annotator, value: value === "Yes" ? "correct" : "incorrect" } as const];
    }),
  );

  const gpt4Pairs = pairRows(human!, gpt4!);
  const gpt4Rows: TJudgmentRow[] = gpt4Pairs.pairs.map(({ human: h, other }) => {
    const reply = other.get("gpt-4");
    const parsed = parseVerdict(reply, "leading");
    return { line: other.line, question: h.get("Question"), response: h.get("Model answer"), verdict: parsed.verdict, rawOutput: reply, error: parsed.reason ?? null };
  });
  const bemPairs = pairRows(human!, bem!);
  const bemRows: TJudgmentRow[] = bemPairs.pairs.map(({ human: h, other }) => {
    const raw = other.get("BEM probs per gold answer");
    const probs = JSON.parse(raw) as [number, number][];
    const best = probs.reduce((a, b) => (b[1] > a[1] ? b : a));
    return {
      line: other.line,
      question: h.get("Question"),
      response: h.get("Model answer"),
      verdict: best[1] >= 0.5 ? "YES" : "NO",
      pYes: best[1],
      pNo: best[0],
      softReward: best[1],
      rawOutput: raw,
    };
  });

  return prisma.$transaction(
    async (tx) => {
      const dataset = await tx.dataset.create({
        data: {
          name: DEMO_DATASET,
          description:
            "Demo: 301 Natural Questions, 1,490 model answers judged by GPT-4, by BEM and by human annotators " +
            "(Kamalloo et al., ACL 2023, MIT licence).",
          createdById: options.actorId ?? null,
        },
      });
      const itemSummary = await importItems(tx, dataset.id, items);
      const labels = await importLabels(tx, { datasetId: dataset.id, importedById: options.actorId ?? null }, labelRows);
      const judges: TDemoReport["judges"] = {};
      const specs = [
        { name: "GPT-4", sizeLabel: "", description: "GPT-4 asked whether the candidate answer is correct (imported verdicts).", rows: gpt4Rows, unpaired: gpt4Pairs.unpaired },
        { name: "BEM", sizeLabel: "110M", description: "BERT-based answer equivalence model; soft score = max P(correct) over gold answers.", rows: bemRows, unpaired: bemPairs.unpaired },
      ];
      for (const spec of specs) {
        const judge = await tx.judge.upsert({
          where: { name: spec.name },
          create: { name: spec.name, kind: "external", sizeLabel: spec.sizeLabel, description: spec.description },
          update: {},
        });
        const run = await tx.judgeRun.create({
          data: { judgeId: judge.id, datasetId: dataset.id, status: "completed", source: "import", createdById: options.actorId ?? null, startedAt: new Date() },
        });
        const summary = await importJudgments(tx, { datasetId: dataset.id, judgeId: judge.id, runId: run.id }, spec.rows);
        await tx.judgeRun.update({
          where: { id: run.id },
          data: { total: summary.read, done: summary.inserted, failed: summary.rejected.length, finishedAt: new Date() },
        });
        judges[spec.name] = { ...summary, unpairedLines: spec.unpaired.map((r) => r.line) };
      }
      const stored = await tx.response.findMany({
        where: { datasetId: dataset.id },
        select: { sampleIndex: true, goldLabel: true, question: { select: { text: true } } },
      });
      const goldOf = new Map(stored.map((r) => [`${r.question.text}\u0000${r.sampleIndex}`, r.goldLabel]));
      const goldMismatches = human!.filter((row, i) => {
        const expected = row.get("Acceptable?") === "Yes" ? "correct" : "incorrect";
        return goldOf.get(`${row.get("Question")}\u0000${items[i]!.sampleIndex}`) !== expected;
      }).length;
      await recordAudit(tx, {
        actorId: options.actorId ?? null,
        action: "demo.load",
        entity: "dataset",
        entityId: dataset.id,
        data: { responses: itemSummary.responsesInserted, labels: labels.inserted },
      });
      return { datasetId: dataset.id, items: itemSummary, labels, judges, goldMismatches };
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}
