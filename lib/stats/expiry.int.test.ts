// Figures nobody reads go: a snapshot unread (neither served nor computed) for UNREAD_DAYS is
// deleted with its parts, parts without a snapshot go too, and serving a figure notes the read.
import { beforeAll, describe, expect, it } from "vitest";
import { resetDb, testDb } from "@/tests/db";
import { buildFixture, type TFixture } from "@/tests/analytics-fixture";
import { datasetCounts } from "./overview-queries";
import { datasetProfile } from "./profile-queries";
import { expireSnapshots, UNREAD_DAYS } from "./snapshot";
import { judgesKey } from "./sql";

const prisma = testDb();
/** The snapshot of datasetCounts' questions and labels (its responses are counted in parts, "response-counts"). */
const COUNTS = "counts:questions-labels";
let fx: TFixture;

beforeAll(async () => {
  await resetDb();
  fx = await buildFixture(prisma);
});

const readAgo = async (key: string, interval: string) =>
  prisma.$executeRawUnsafe(`UPDATE analytics_snapshots SET read_at = localtimestamp - interval '${interval}' WHERE dataset_id = $1 AND key = $2`, fx.datasetId, key);
const snapshotKeys = async () => (await prisma.analyticsSnapshot.findMany({ where: { datasetId: fx.datasetId }, select: { key: true } })).map((s) => s.key).sort();
const partCount = async (key: string) => prisma.analyticsPartial.count({ where: { datasetId: fx.datasetId, key } });
const readAt = async (key: string) => (await prisma.analyticsSnapshot.findUniqueOrThrow({ where: { datasetId_key: { datasetId: fx.datasetId, key } } })).readAt;

describe("expireSnapshots", () => {
  it("deletes figures unread for the period with their parts, and parts without a snapshot", async () => {
    const profileKey = `profile:${judgesKey(fx.judges)}`;
    await datasetProfile(fx.datasetId, fx.judges);
    await datasetCounts(fx.datasetId);
    expect(await snapshotKeys()).toEqual([COUNTS, "response-counts", profileKey].sort());
    const parts = await partCount(profileKey);
    expect(parts).toBeGreaterThan(1); // the fixture spans several chunks
    // a part left behind by a key whose snapshot is gone
    await prisma.analyticsPartial.create({ data: { datasetId: fx.datasetId, key: "orphan", chunk: 0, version: "v", payload: {} } });

    // Read a day short of the period: kept; a day past it: gone, with its parts.
    await readAgo(profileKey, `${UNREAD_DAYS - 1} days`);
    expect(await expireSnapshots()).toEqual({ snapshots: 0, parts: 1 }); // the orphan only
    await readAgo(profileKey, `${UNREAD_DAYS + 1} days`);
    expect(await expireSnapshots()).toEqual({ snapshots: 1, parts });
    expect(await snapshotKeys()).toEqual([COUNTS, "response-counts"]);
    expect(await partCount(profileKey)).toBe(0);

    // Asked for again, it is computed anew, parts and all.
    const again = await datasetProfile(fx.datasetId, fx.judges);
    expect(again.isCached).toBe(false);
    expect(await partCount(profileKey)).toBe(parts);
  });

  it("notes a read when a stored figure is served, at most once an hour", async () => {
    await datasetCounts(fx.datasetId);
    await readAgo(COUNTS, "2 hours");
    const before = await readAt(COUNTS);
    const served = await datasetCounts(fx.datasetId);
    expect(served.isCached).toBe(true);
    const after = await readAt(COUNTS);
    expect(after.getTime() - before.getTime()).toBeGreaterThan(60 * 60_000);

    await readAgo(COUNTS, "10 minutes");
    const recent = await readAt(COUNTS);
    await datasetCounts(fx.datasetId);
    expect((await readAt(COUNTS)).getTime()).toBe(recent.getTime());
  });
});
