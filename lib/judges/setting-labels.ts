// A judge's stored settings (lib/judges/settings.ts) named as the judge form names them, for the
// pages that show them as stored: the judge page and a run's settings. Kept apart from
// settings.ts, which uses Node's crypto, so that the run page's client code can import it.
const SETTING_LABEL: Record<string, string> = {
  baseUrl: "Base URL",
  model: "Model",
  api: "API",
  apiKeyEnv: "API key variable",
  headers: "Extra headers",
  extraBody: "Extra body fields",
  temperature: "Temperature",
  maxTokens: "Max tokens",
  topLogprobs: "Top logprobs",
  timeoutMs: "Request timeout (ms)",
  chunkSize: "Judgments per chunk",
  retries: "Retries",
  retryBaseMs: "Retry backoff base (ms)",
  retryMaxMs: "Retry backoff cap (ms)",
  concurrency: "Concurrency",
  verdictMode: "Reading the verdict",
  logprobToken: "Probabilities from",
  softReward: "Soft reward",
  rule: "Rule",
  referenceSeparator: "Reference alternatives separator",
  threshold: "Jaccard threshold for YES",
  relativeTolerance: "Numeric relative tolerance",
  absoluteTolerance: "Numeric absolute tolerance",
  finalStepOnly: "Final step only",
};

/** The name to show for a stored setting: the form's, or the stored one where it has none. */
export const settingLabel = (key: string) => SETTING_LABEL[key] ?? key;
