// After an analytics page is sent, the figures of the other views of its dataset are brought up
// to date in the background, one query at a time: the visitor pays the cold computation of the
// view they opened (seconds at a million responses), and the next tabs open from their snapshots.
// One warm-up per dataset and process at a time; one asked for while another runs follows it (with
// the latest scope asked for: a judge new to the dataset), rather than being dropped, since the
// running one may have read the data or the judges before the change that asked for it. A
// snapshot that is current costs one lookup. While the data keeps changing (a judge run, an
// import) warming would be undone at once: skipped.
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

type TScope = Pick<TAnalyticsScope, "dataset" | "judges" | "raters">;
/** quietMs: skip while the data changed less than this long ago (default DEFAULT_QUIET_MS) */
type TOptions = { quietMs?: number };
const DEFAULT_QUIET_MS = 30_000;
/** What a warm-up did: computed (or found current) every default figure, skipped them while the data changes, or failed (logged). */
export type TWarmOutcome = "warmed" | "changing" | "failed";

/** Per dataset, the warm-up running and the one to follow it (its scope and options replaced by later requests until it starts). */
const running = new Map<number, Promise<TWarmOutcome>>();
const following = new Map<number, { scope: TScope; options: TOptions; outcome: Promise<TWarmOutcome> }>();

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

/**
 * Brings the dataset's default figures (the snapshots every view shows with its default
 * parameters) up to date. When a warm-up of the dataset is already
 * running, this one follows it (several requests meanwhile make one, with the latest scope), and
 * resolves when it is done.
 */
export function warmAnalytics(scope: TScope, options: TOptions = {}): Promise<TWarmOutcome> {
  const id = scope.dataset.id;
  const next = following.get(id);
  if (next) {
    // The latest scope, and the shortest quiet asked for: a hook that asked for figures now
    // (quietMs 0, after a run or an import) is not undone by a page view's default wait.
    next.scope = scope;
    next.options = { quietMs: Math.min(next.options.quietMs ?? DEFAULT_QUIET_MS, options.quietMs ?? DEFAULT_QUIET_MS) };
    return next.outcome;
  }
  const current = running.get(id);
  if (!current) return start(scope, options);
  const entry: { scope: TScope; options: TOptions; outcome: Promise<TWarmOutcome> } = {
    scope,
    options,
    outcome: current.then(() => {
      following.delete(id);
      return start(entry.scope, entry.options);
    }),
  };
  following.set(id, entry);
  return entry.outcome;
}

function start(scope: TScope, options: TOptions): Promise<TWarmOutcome> {
  const id = scope.dataset.id;
  const outcome: Promise<TWarmOutcome> = warmOnce(scope, options).finally(() => {
    if (running.get(id) === outcome) running.delete(id);
  });
  running.set(id, outcome);
  return outcome;
}

async function warmOnce({ dataset, judges, raters }: TScope, options: TOptions): Promise<TWarmOutcome> {
  try {
    if (await isDataChanging(options.quietMs ?? DEFAULT_QUIET_MS)) return "changing";
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
    return "warmed";
  } catch (error) {
    console.error(`[analytics] warming dataset ${dataset.id} failed: ${(error as Error).message}`);
    return "failed";
  }
}

/** The dataset's figures brought up to date now, changing data or not (after an import of it). */
export async function warmDataset(datasetId: number): Promise<TWarmOutcome | "gone"> {
  const scope = await datasetScope(datasetId);
  return scope ? warmAnalytics(scope, { quietMs: 0 }) : "gone";
}

/** Schedules the warm-up after the current response. */
export function warmAfterResponse(scope: TScope) {
  after(() => warmAnalytics(scope));
}
