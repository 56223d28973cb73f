// Launching a chunk's items within its time budget: the launch must end by the deadline even
// while every place is held by a request that will not finish for minutes, since the chunk's queue
// job is completed only once the launch ends (and would otherwise expire and go to a second worker).
import { describe, expect, it } from "vitest";
import { launchWithin } from "./process-chunk";

const never = () => new Promise<void>(() => {});
const after = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("launchWithin", () => {
  it("starts every item, at most `limit` at a time", async () => {
    const inflight = new Set<Promise<void>>();
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const all = await launchWithin([1, 2, 3, 4, 5, 6, 7], 3, Date.now() + 10_000, () => false, inflight, async (i) => {
      started.push(i);
      most = Math.max(most, ++running);
      await after(5)();
      running--;
    });
    expect(all).toBe(true);
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
    await Promise.all(inflight);
  });

  it("ends at the deadline while every place is held, leaving the rest unstarted", async () => {
    const inflight = new Set<Promise<void>>();
    const started: number[] = [];
    const t0 = Date.now();
    const all = await launchWithin([1, 2, 3, 4], 2, t0 + 150, () => false, inflight, (i) => {
      started.push(i);
      return never();
    });
    expect(all).toBe(false);
    expect(started).toEqual([1, 2]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(inflight.size).toBe(2); // still running: the chunk waits for them before it is handed back
  });

  it("stops starting items once told to", async () => {
    const inflight = new Set<Promise<void>>();
    let stop = false;
    const started: number[] = [];
    const all = await launchWithin([1, 2, 3, 4], 1, Date.now() + 10_000, () => stop, inflight, async (i) => {
      started.push(i);
      if (i === 2) stop = true;
    });
    expect(all).toBe(false);
    expect(started).toEqual([1, 2]);
  });
});
