import { describe, expect, it } from "vitest";
import { judgments, labels, question, response, SUBJECTS } from "./synthetic";

describe("the scale seed's synthetic data", () => {
  it("is a function of its coordinates: the same seed gives the same rows, another seed others", () => {
    expect(response(1, 42, 3)).toEqual(response(1, 42, 3));
    expect(question(1, 42)).toEqual(question(1, 42));
    expect(response(2, 42, 3).text).not.toBe(response(1, 42, 3).text);
    const r = response(1, 42, 3);
    expect(judgments(1, 42, 3, r.text.length, r.isCorrect)).toEqual(judgments(1, 42, 3, r.text.length, r.isCorrect));
  });

  it("has the proportions the seed promises (2,000 questions x 5 responses)", () => {
    let labelled = 0;
    let labelCount = 0;
    let agree = 0;
    let sampled = 0;
    let correct = 0;
    const subjects = new Set<string>();
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const [q, s] = [Math.floor(i / 5), i % 5];
      subjects.add(question(1, q).subject);
      const r = response(1, q, s);
      if (r.isCorrect) correct++;
      const j = judgments(1, q, s, r.text.length, r.isCorrect);
      if (j.large.verdict === j.small[0]!.verdict) agree++;
      if (j.small.length > 1) sampled++;
      const l = labels(1, q, s, r.isCorrect);
      if (l.length) labelled++;
      labelCount += l.length;
      expect(r.text.endsWith(`Final answer: ${r.isCorrect ? question(1, q).reference : r.text.split("Final answer: ")[1]}`)).toBe(true);
    }
    expect(labelled / n).toBeGreaterThan(0.018);
    expect(labelled / n).toBeLessThan(0.026);
    expect(labelCount / n).toBeGreaterThan(0.045); // ~50k labels per million responses
    expect(labelCount / n).toBeLessThan(0.056);
    expect(agree / n).toBeGreaterThan(0.85);
    expect(sampled / n).toBeGreaterThan(0.04);
    expect(correct / n).toBeGreaterThan(0.4);
    expect(correct / n).toBeLessThan(0.8);
    expect(subjects.size).toBeGreaterThan(SUBJECTS.length * 0.8);
  });
});
