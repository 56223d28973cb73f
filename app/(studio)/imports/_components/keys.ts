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

/** An import is one transaction: a failed or interrupted one kept nothing of the rows it wrote. */
export const isRolledBack = (status: string) => status === "failed" || status === "interrupted";

/** The "Inserted" figure of a job: for one rolled back, 0 with what it had written. */
export const insertedLabel = (job: { status: string; inserted: number }, format: (n: number) => string) =>
  isRolledBack(job.status) && job.inserted > 0 ? `0 (${format(job.inserted)} rolled back)` : format(job.inserted);
