// Query keys of the imports area (TanStack Query).
export const importKeys = {
  all: ["imports"] as const,
  list: () => [...importKeys.all, "list"] as const,
  job: (id: number) => [...importKeys.all, "job", id] as const,
  preview: (uploadId: string, spec: unknown) => [...importKeys.all, "preview", uploadId, spec] as const,
};

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json().catch(() => null)) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body?.error?.message ?? `request failed (${response.status})`);
  return body;
}

export const isActive = (status: string) => status === "queued" || status === "running";

/** The "Inserted" figure of a job: for one rolled back (lib/io/queries.ts), 0 with what it had written. */
export const insertedLabel = (job: { rolledBack: boolean; inserted: number }, format: (n: number) => string) =>
  job.rolledBack && job.inserted > 0 ? `0 (${format(job.inserted)} rolled back)` : format(job.inserted);
