"use client";

// Creating a queue from a judgments filter: optional soft-score band and seeded sample, overlap,
// blind mode (on by default: queues that measure judges must not show them), the experts. The
// number of items is counted on the server as the options change.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { countQueueSourceAction, createQueueAction } from "@/lib/review/actions";
import type { TQueueSource } from "@/lib/review/source";
import { formatInt } from "@/components/ui/format";
import { reviewKeys } from "./keys";

/** `bandJudgeId`: the judge a band starts on (the filter's own judge, when it names one). */
type TProps = { filter: string; judges: { id: number; name: string }[]; bandJudgeId?: number; people: { id: string; name: string; role: string }[] };

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5";

export function CreateQueueForm({ filter, judges, bandJudgeId, people }: TProps) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [bandOn, setBandOn] = useState(false);
  const [band, setBand] = useState({ judgeId: bandJudgeId ?? judges[0]?.id ?? 0, metric: "p_yes" as "p_yes" | "soft_reward", min: "0.3", max: "0.7" });
  const [sampleMode, setSampleMode] = useState<"all" | "size" | "percent">("all");
  const [sample, setSample] = useState({ size: "50", percent: "10", seed: "1" });
  const [overlap, setOverlap] = useState("1");
  const [blind, setBlind] = useState(true);
  const [members, setMembers] = useState<string[]>(people.filter((p) => p.role === "expert").map((p) => p.id));

  const source: TQueueSource = {
    filter,
    ...(bandOn && band.judgeId ? { band: { judgeId: band.judgeId, metric: band.metric, min: Number(band.min), max: Number(band.max) } } : {}),
    ...(sampleMode === "size" ? { sample: { mode: "size", size: Number(sample.size), seed: Number(sample.seed) } } : {}),
    ...(sampleMode === "percent" ? { sample: { mode: "percent", percent: Number(sample.percent), seed: Number(sample.seed) } } : {}),
  };
  const [debounced, setDebounced] = useState(source);
  const key = JSON.stringify(source);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(JSON.parse(key)), 250);
    return () => clearTimeout(t);
  }, [key]);
  const count = useQuery({
    queryKey: [...reviewKeys.all, "count", debounced],
    queryFn: async () => {
      const result = await countQueueSourceAction(debounced);
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
  });
  const create = useMutation({
    mutationFn: async () => {
      const result = await createQueueAction({ name, description, source, overlap: Number(overlap), blind, memberIds: members });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSuccess: (data) => router.push(`/review/${data.id}`),
  });
  // A refusal is about what was sent: once any field changes, it no longer stands.
  const { reset: resetCreate } = create;
  useEffect(() => resetCreate(), [name, description, key, overlap, blind, members, resetCreate]);

  return (
    <form
      className="mt-6 space-y-5"
      aria-label="New review queue"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <label className="flex flex-col gap-1">
        <span className="text-sm font-medium">Name</span>
        <input required value={name} onChange={(e) => setName(e.target.value)} className={field} placeholder="72B YES, 7B NO: medicine" />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-sm font-medium">Instructions for the experts (optional)</span>
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} className={field} />
      </label>

      <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium">Soft-score band</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={bandOn} onChange={(e) => setBandOn(e.target.checked)} disabled={judges.length === 0} />
          <span>Only items whose judge score lies in a band</span>
        </label>
        {bandOn && (
          <div className="flex flex-wrap items-end gap-3">
            <label className="flex flex-col gap-1 text-sm">
              Judge
              <select value={band.judgeId} onChange={(e) => setBand({ ...band, judgeId: Number(e.target.value) })} className={field}>
                {judges.map((j) => (
                  <option key={j.id} value={j.id}>
                    {j.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-sm">
              Score
              <select value={band.metric} onChange={(e) => setBand({ ...band, metric: e.target.value as "p_yes" | "soft_reward" })} className={field}>
                <option value="p_yes">P(YES)</option>
                <option value="soft_reward">soft reward</option>
              </select>
            </label>
            <label className="flex flex-col gap-1 text-sm">
              From
              <input type="number" step="0.01" min="0" max="1" value={band.min} onChange={(e) => setBand({ ...band, min: e.target.value })} className={`${field} w-24`} />
            </label>
            <label className="flex flex-col gap-1 text-sm">
              To
              <input type="number" step="0.01" min="0" max="1" value={band.max} onChange={(e) => setBand({ ...band, max: e.target.value })} className={`${field} w-24`} />
            </label>
          </div>
        )}
      </fieldset>

      <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium">Sample</legend>
        <div className="flex flex-wrap gap-4">
          {(["all", "size", "percent"] as const).map((m) => (
            <label key={m} className="flex items-center gap-2">
              <input type="radio" name="sample" checked={sampleMode === m} onChange={() => setSampleMode(m)} />
              {m === "all" ? "Every matching item" : m === "size" ? "Random sample of a size" : "Random percentage"}
            </label>
          ))}
        </div>
        {sampleMode !== "all" && (
          <div className="flex flex-wrap items-end gap-3">
            {sampleMode === "size" ? (
              <label className="flex flex-col gap-1 text-sm">
                Number of items
                <input type="number" min="1" value={sample.size} onChange={(e) => setSample({ ...sample, size: e.target.value })} className={`${field} w-28`} />
              </label>
            ) : (
              <label className="flex flex-col gap-1 text-sm">
                Percent
                <input type="number" min="0.1" max="100" step="0.1" value={sample.percent} onChange={(e) => setSample({ ...sample, percent: e.target.value })} className={`${field} w-28`} />
              </label>
            )}
            <label className="flex flex-col gap-1 text-sm">
              Seed
              <input type="number" min="0" value={sample.seed} onChange={(e) => setSample({ ...sample, seed: e.target.value })} className={`${field} w-28`} />
            </label>
            <span className="pb-2 text-xs text-slate-500">The same seed picks the same items.</span>
          </div>
        )}
      </fieldset>

      <div className="flex flex-wrap items-end gap-6">
        <label className="flex flex-col gap-1">
          <span className="text-sm font-medium">Overlap (experts per item)</span>
          <input type="number" min="1" max="10" value={overlap} onChange={(e) => setOverlap(e.target.value)} className={`${field} w-24`} />
        </label>
        <label className="flex items-center gap-2 pb-2">
          <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} />
          <span>Blind: hide the judges&apos; verdicts and scores until the expert has labeled</span>
        </label>
      </div>

      <fieldset className="rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium">Experts</legend>
        {people.length === 0 && <p className="text-sm text-slate-500">Nobody with the expert role yet.</p>}
        <div className="grid gap-1 sm:grid-cols-2">
          {people.map((p) => (
            <label key={p.id} className="flex items-center gap-2">
              <input type="checkbox" checked={members.includes(p.id)} onChange={(e) => setMembers(e.target.checked ? [...members, p.id] : members.filter((m) => m !== p.id))} />
              {p.name} <span className="text-xs text-slate-500">{p.role}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" disabled={create.isPending || create.isSuccess} className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-600 disabled:opacity-50">
          {create.isPending || create.isSuccess ? "Creating…" : "Create queue"}
        </button>
        <span className="text-slate-600" data-testid="queue-count" aria-live="polite">
          {count.isError
            ? count.error.message
            : count.data
              ? bandOn
                ? `${formatInt(count.data.items)} ${count.data.items === 1 ? "item" : "items"} (of ${formatInt(count.data.matched)} in the band; ${formatInt(count.data.filterMatched)} match the filter)`
                : `${formatInt(count.data.items)} ${count.data.items === 1 ? "item" : "items"} (of ${formatInt(count.data.matched)} matching)`
              : "counting…"}
        </span>
      </div>
      {create.isError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800">
          {create.error.message}
        </p>
      )}
    </form>
  );
}
