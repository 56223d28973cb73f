// After an analytics page is sent, the figures of the other views of its dataset are brought up
// to date in the background, one query at a time: the visitor pays the cold computation of the
// view they opened (seconds at a million responses), and the next tabs open from their snapshots.
// One warm-up per dataset and process at a time; a snapshot that is current costs one lookup.
// While the data keeps changing (a judge run, an import) warming would be undone at once: skipped.
import "server-only";
import { after } from "next/server";
import { agreementMatrix, pairBreakdown } from "./agreement-queries";
import { judgeCalibration } from "./calibration-queries";
import { judgeConsistency } from "./consistency-queries";
import { expertAgreement } from "./expert-queries";
import { datasetCounts, datasetFacets } from "./overview-queries";
import { judgeQualityTable } from "./quality-queries";
import { rewardNormalisation, rewardOverview } from "./reward-queries";
import { datasetScope, type TAnalyticsScope } from "./scope";
import { isDataChanging } from "./snapshot";

const running = new Set<number>();

/** Pair breakdowns computed ahead at most: four raters' six pairs (three judges and the experts). */
const WARM_PAIRS = 6;
/** Judges whose reward normalisation is computed ahead at most. */
const WARM_JUDGES = 4;

/** The pairs (i, j), i < j, of `n` raters in the order the matrix shows them: the first pair first. */
function matrixPairs(n: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
  return pairs;
}

/** The snapshots every view shows with its default parameters. */
export async function warmAnalytics({ dataset, judges, raters }: Pick<TAnalyticsScope, "dataset" | "judges" | "raters">, options: { quietMs?: number } = {}) {
  if (running.has(dataset.id)) return;
  running.add(dataset.id);
  try {
    if (await isDataChanging(options.quietMs ?? 30_000)) return;
    const steps: (() => Promise<unknown>)[] = [
      () => datasetCounts(dataset.id),
      () => datasetFacets(dataset.id),
      () => agreementMatrix(dataset.id, raters),
      () => judgeQualityTable(dataset.id, judges),
      () => rewardOverview(dataset.id, judges),
      () => expertAgreement(dataset.id, "missing"),
      () => judgeConsistency(dataset.id, judges),
      // Every pair the agreement matrix links to (up to WARM_PAIRS), so that picking a cell finds
      // its breakdown computed: a pair's breakdown from nothing is the one part of the page the
      // time budget cannot stand in for when it was never computed (./budget.ts).
      ...matrixPairs(raters.length)
        .slice(0, WARM_PAIRS)
        .map(([i, j]) => () => pairBreakdown(dataset.id, raters[i]!, raters[j]!)),
      ...judges.map((j) => () => judgeCalibration(dataset.id, j)),
      // The rewards view's default normalisation of each judge its picker offers (up to WARM_JUDGES).
      ...judges.slice(0, WARM_JUDGES).map((j) => () => rewardNormalisation(dataset.id, j, { reward: "binary", ddof: 1, batch: null })),
    ];
    for (const step of steps) await step();
  } catch (error) {
    console.error(`[analytics] warming dataset ${dataset.id} failed: ${(error as Error).message}`);
  } finally {
    running.delete(dataset.id);
  }
}

/** The dataset's figures brought up to date now, changing data or not (after an import of it). */
export async function warmDataset(datasetId: number) {
  const scope = await datasetScope(datasetId);
  if (scope) await warmAnalytics(scope, { quietMs: 0 });
}

/** Schedules the warm-up after the current response. */
export function warmAfterResponse(scope: Pick<TAnalyticsScope, "dataset" | "judges" | "raters">) {
  after(() => warmAnalytics(scope));
}
