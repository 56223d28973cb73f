// The dataset a person last looked at, so that a page opened without one (the judgments list, an
// analytics view, the export and run forms, a judge's test panel) starts on it rather than on the
// first dataset by name: a judge run on the wrong dataset was the cost. proxy.ts sets the cookie
// on every page asked for with a dataset; it holds an id only, and a dataset gone since is ignored.
import "server-only";
import { cookies } from "next/headers";
import { rowIdOf } from "@/lib/db/values";
import { DATASET_COOKIE } from "./dataset-cookie";


/** The last dataset looked at, when it is one of `datasets`; else the first of them. */
export async function preferredDataset<T extends { id: number }>(datasets: readonly T[]): Promise<T | undefined> {
  const id = rowIdOf((await cookies()).get(DATASET_COOKIE)?.value);
  return datasets.find((d) => d.id === id) ?? datasets[0];
}
