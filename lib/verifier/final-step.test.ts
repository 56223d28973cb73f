import { describe, expect, it } from "vitest";
import { extractFinalStep } from "./final-step";

// A second method, the obvious one: split into lines, take the last that is not blank.
const bySplit = (s: string) => s.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== "").at(-1) ?? "";

describe("extractFinalStep", () => {
  it.each([
    ["one line", "one line"],
    ["step 1\nstep 2\nThe answer is 4", "The answer is 4"],
    ["answer\n\n  \n", "answer"],
    ["a\r\nb\r\n", "b"],
    ["a\rb", "b"],
    ["", ""],
    ["\n\r\n  \t", ""],
    ["  padded  ", "padded"],
  ])("%j -> %j", (text, expected) => {
    expect(extractFinalStep(text)).toBe(expected);
  });

  it("agrees with splitting into lines on random text of breaks, blanks and letters", () => {
    const alphabet = ["\n", "\r", "\r\n", " ", "\t", "a", "b", "é", "😀"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i++) {
      let s = "";
      const n = Math.floor(next() * 12);
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(next() * alphabet.length)];
      expect(extractFinalStep(s), JSON.stringify(s)).toBe(bySplit(s));
    }
  });
});
