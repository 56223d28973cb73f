/** The cookie holding the dataset last looked at: set by proxy.ts, read by ./preferred.ts. */
export const DATASET_COOKIE = "studio_dataset";
