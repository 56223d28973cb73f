// The time a page's figures are said to be "as of": the newest computation among current figures
// (the older ones are still current), and the oldest for stored figures shown while updating.
import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { freshness } = await import("./snapshot");

const snap = (at: string, ms: number) => ({ value: null, version: "v", computedAt: new Date(at), computedMs: ms, isCached: true });

describe("freshness", () => {
  it("is as of the newest computation, with the oldest beside it and the longest time taken", () => {
    // The rewards page after a label: its overview recomputed at 16:37, its normalised rewards (which read no label) from 16:36.
    expect(freshness(snap("2026-11-28T16:36:00Z", 21), snap("2026-11-28T16:37:10Z", 134))).toEqual({
      computedAt: "2026-11-28T16:37:10.000Z",
      oldestAt: "2026-11-28T16:36:00.000Z",
      computedMs: 134,
    });
    expect(freshness(snap("2026-11-28T10:00:00Z", 5))).toEqual({ computedAt: "2026-11-28T10:00:00.000Z", oldestAt: "2026-11-28T10:00:00.000Z", computedMs: 5 });
  });
});
