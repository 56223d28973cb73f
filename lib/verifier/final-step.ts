// The paper's verifier sees only the final step of a response: its last non-empty line.
export function extractFinalStep(response: string): string {
  const lines = response.split(/\r\n|\r|\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line !== "") return line;
  }
  return "";
}
