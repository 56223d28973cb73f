// A run's running time: its stopped stretches (pauses, failures until a resume) left out.
import { describe, expect, it } from "vitest";
import { runningSeconds, stoppedTime } from "./running-time";

const at = (s: number) => new Date(Date.UTC(2026, 10, 28, 12, 0, s));

describe("running time", () => {
  it("leaves out pauses that ended and the one going on", () => {
    // Started at 0; paused 10-25 (15 s), failed at 40 and resumed at 50 (10 s), paused again at 70.
    const events = [
      { action: "run.pause", at: at(10) },
      { action: "run.resume", at: at(25) },
      { action: "run.fail", at: at(40) },
      { action: "run.resume", at: at(50) },
      { action: "run.pause", at: at(70) },
    ];
    const stopped = stoppedTime(events, at(0));
    expect(stopped).toEqual({ stoppedMs: 25_000, stoppedSince: at(70) });
    // Seen at 90: 90 s since the start, 25 s of ended stretches, 20 s of the current one: 45 s.
    expect(runningSeconds(at(0), at(90), stopped)).toBe(45);
    // Seen at 95, still paused: the same.
    expect(runningSeconds(at(0), at(95), stopped)).toBe(45);
  });

  it("counts a second stop before a resume once, and a resume with no stop before it (an old failure) as nothing", () => {
    expect(stoppedTime([{ action: "run.resume", at: at(5) }, { action: "run.pause", at: at(10) }, { action: "run.fail", at: at(12) }, { action: "run.resume", at: at(20) }], at(0))).toEqual({ stoppedMs: 10_000, stoppedSince: null });
    expect(runningSeconds(at(0), at(30), { stoppedMs: 0, stoppedSince: null })).toBe(30);
  });

  it("counts only what falls after the start: a run paused while queued had not started", () => {
    // Paused at 0 while queued, resumed at 30, started (a worker took it) at 31, paused at 50.
    const events = [
      { action: "run.pause", at: at(0) },
      { action: "run.resume", at: at(30) },
      { action: "run.pause", at: at(50) },
    ];
    const stopped = stoppedTime(events, at(31));
    expect(stopped).toEqual({ stoppedMs: 0, stoppedSince: at(50) });
    expect(runningSeconds(at(31), at(60), stopped)).toBe(19);
    expect(stoppedTime(events, null)).toEqual({ stoppedMs: 0, stoppedSince: null });
  });
});
