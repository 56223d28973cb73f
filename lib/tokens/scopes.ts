// What an API token may call. Each /api/v1 route names the scope a token needs (lib/http/route.ts);
// a signed-in session needs the route's role instead.
export const SCOPES = ["read", "import", "export", "judge", "reward"] as const;
export type TScope = (typeof SCOPES)[number];

export const SCOPE_LABEL: Record<TScope, string> = {
  read: "Read: datasets, judges, runs, responses",
  import: "Import: uploads and import jobs",
  export: "Export: exports and their files",
  judge: "Judge: start and control judge runs",
  reward: "Reward: POST /api/v1/reward for RL training",
};

export function isScope(value: unknown): value is TScope {
  return typeof value === "string" && (SCOPES as readonly string[]).includes(value);
}
