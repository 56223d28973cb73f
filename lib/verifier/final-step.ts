// The paper's verifier sees only the final step of a response: its last non-empty line.
// Scans back from the end rather than splitting the whole response into lines: the importer
// calls this for every response it reads.
const isBreak = (c: number) => c === 10 || c === 13; // \n, \r

export function extractFinalStep(response: string): string {
  let end = response.length;
  while (end > 0) {
    let start = end;
    while (start > 0 && !isBreak(response.charCodeAt(start - 1))) start--;
    const line = response.slice(start, end).trim();
    if (line !== "") return line;
    end = start - 1;
  }
  return "";
}
