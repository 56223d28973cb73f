// Response-length buckets (characters) for breakdowns, and their form in the URL ("500-1000",
// "4000+"). Bucket i holds lengths in [EDGES[i-1], EDGES[i]); SQL computes the same index with
// width_bucket(text_length, ARRAY[200, 500, 1000, 2000, 4000]).
export const LENGTH_EDGES = [200, 500, 1000, 2000, 4000] as const;

export type TLengthBucket = { index: number; key: string; label: string; min: number; max: number | null };

export const LENGTH_BUCKETS: TLengthBucket[] = [0, ...LENGTH_EDGES].map((min, index) => {
  const max = LENGTH_EDGES[index] ?? null;
  return {
    index,
    key: max === null ? `${min}+` : `${min}-${max}`,
    label: max === null ? `${min.toLocaleString("en-US")}+ chars` : `${min.toLocaleString("en-US")}–${(max - 1).toLocaleString("en-US")} chars`,
    min,
    max,
  };
});

export function lengthBucketOf(length: number): number {
  let i = 0;
  while (i < LENGTH_EDGES.length && length >= LENGTH_EDGES[i]!) i++;
  return i;
}

export const lengthBucketByKey = (key: string) => LENGTH_BUCKETS.find((b) => b.key === key);
