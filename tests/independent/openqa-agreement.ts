// An independent computation of the demo's agreement figures, straight from the three TSV files,
// sharing no code with the studio (its own TSV reading, join and kappa), to check the agreement
// view against. It follows the join rule of prisma/demo/openqa-eval/SOURCE.md:
// (Question, Model answer) with double quotes and whitespace removed, k-th occurrence to k-th.
import { readFileSync } from "node:fs";
import path from "node:path";

type Row = Record<string, string>;

function readTsv(file: string): Row[] {
  const [header, ...lines] = readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
  const names = header!.split("\t");
  return lines.map((line) => {
    const cells = line.split("\t").map((cell) =>
      cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell,
    );
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ""]));
  });
}

const key = (r: Row) => `${r.Question!.replace(/["\s]/g, "")}|${r["Model answer"]!.replace(/["\s]/g, "")}`;

/** For each human row index, the partner row of `other` (or undefined). */
function partners(human: Row[], other: Row[]): (Row | undefined)[] {
  const waiting = new Map<string, number[]>();
  human.forEach((r, i) => waiting.set(key(r), [...(waiting.get(key(r)) ?? []), i]));
  const result: (Row | undefined)[] = human.map(() => undefined);
  for (const r of other) {
    const i = waiting.get(key(r))?.shift();
    if (i !== undefined) result[i] = r;
  }
  return result;
}

type Answer = boolean | null; // true = positive (YES / correct), null = no usable answer

export type TIndependentPair = { n: number; yy: number; yn: number; ny: number; nn: number; agreement: number; kappa: number };

function compare(a: Answer[], b: Answer[]): TIndependentPair {
  let yy = 0, yn = 0, ny = 0, nn = 0;
  a.forEach((x, i) => {
    const y = b[i];
    if (x === null || y === null || y === undefined) return;
    if (x && y) yy++;
    else if (x && !y) yn++;
    else if (!x && y) ny++;
    else nn++;
  });
  const n = yy + yn + ny + nn;
  const po = (yy + nn) / n;
  const pe = ((yy + yn) * (yy + ny) + (ny + nn) * (yn + nn)) / (n * n);
  return { n, yy, yn, ny, nn, agreement: po, kappa: (po - pe) / (1 - pe) };
}

export function openQaAgreement(dir = path.resolve("prisma/demo/openqa-eval")) {
  const human = readTsv(path.join(dir, "NQ301_human.tsv"));
  const gpt4 = partners(human, readTsv(path.join(dir, "NQ301_gpt-4.tsv")));
  const bem = partners(human, readTsv(path.join(dir, "NQ301_BEM.tsv")));
  const humanAnswers: Answer[] = human.map((r) => r["Acceptable?"] === "Yes");
  const gpt4Answers: Answer[] = gpt4.map((r) => {
    const first = r?.["gpt-4"]?.trim().split(/[^A-Za-z]/)[0]?.toLowerCase();
    return first === "yes" ? true : first === "no" ? false : null;
  });
  const bemAnswers: Answer[] = bem.map((r) => {
    if (!r) return null;
    const pairs = JSON.parse(r["BEM probs per gold answer"]!) as number[][];
    return Math.max(...pairs.map((p) => p[1]!)) >= 0.5;
  });
  return {
    gpt4VsHuman: compare(gpt4Answers, humanAnswers),
    bemVsHuman: compare(bemAnswers, humanAnswers),
    gpt4VsBem: compare(gpt4Answers, bemAnswers),
  };
}
