"use client";
// Starting runs: a dataset, one or more judges, optionally a judgments filter (as the judgments
// page writes it in its URL), and whether to re-judge what is already judged.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatInt } from "@/components/ui/format";
import { useStartRuns } from "./use-runs";

type TChoices = {
  datasets: { id: number; name: string; responses: number }[];
  /** samplesProblem: why the judge cannot take several samples per item (a rule, temperature 0), or null */
  judges: { id: number; name: string; sizeLabel: string; kind: string; templateVersion: string; samplesProblem: string | null }[];
};

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5";

export function NewRunForm({ choices, initial, matching }: { choices: TChoices; initial: { datasetId?: number; judgeIds: number[]; filter: string }; matching: number | null }) {
  const router = useRouter();
  const [datasetId, setDatasetId] = useState<number | undefined>(initial.datasetId ?? choices.datasets[0]?.id);
  const [judgeIds, setJudgeIds] = useState<number[]>(initial.judgeIds);
  const [filter, setFilter] = useState(initial.filter);
  const [force, setForce] = useState(false);
  // As typed: the box may be emptied and retyped; it is read, and said wrong, before the start.
  const [samplesText, setSamplesText] = useState("1");
  const samples = /^\d+$/.test(samplesText.trim()) ? Number(samplesText.trim()) : NaN;
  const samplesError = Number.isInteger(samples) && samples >= 1 && samples <= 16 ? null : "Samples per item: a whole number from 1 to 16.";
  // Said before the start, not only by the server's refusal.
  const cannotSample = !samplesError && samples > 1 ? choices.judges.filter((j) => judgeIds.includes(j.id) && j.samplesProblem) : [];
  const start = useStartRuns();
  const dataset = choices.datasets.find((d) => d.id === datasetId);

  if (choices.judges.length === 0) {
    return <p className="mt-4 text-slate-600">There is no judge that can run yet: add one on the Judges page (researchers and admins can).</p>;
  }
  return (
    <form
      aria-label="New run"
      className="mt-4 space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      onSubmit={(event) => {
        event.preventDefault();
        if (!datasetId || samplesError) return;
        start.mutate(
          { datasetId, judgeIds, filter, force, samples },
          { onSuccess: (runs) => router.push(runs.length === 1 ? `/runs/${runs[0]!.id}` : "/runs") },
        );
      }}
    >
      <label className="block">
        <span className="text-xs font-medium text-slate-600">Dataset</span>
        <select aria-label="Dataset" value={datasetId ?? ""} onChange={(e) => setDatasetId(Number(e.target.value))} className={input} required>
          {choices.datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({formatInt(d.responses)} {d.responses === 1 ? "response" : "responses"})
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend className="text-xs font-medium text-slate-600">Judges (one run each)</legend>
        <div className="mt-1 grid grid-cols-1 gap-1 md:grid-cols-2">
          {choices.judges.map((j) => (
            <label key={j.id} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={judgeIds.includes(j.id)}
                onChange={(e) => setJudgeIds(e.target.checked ? [...judgeIds, j.id] : judgeIds.filter((id) => id !== j.id))}
              />
              <span>{j.name}</span>
              {j.sizeLabel && <span className="rounded bg-slate-100 px-1 text-xs text-slate-600">{j.sizeLabel}</span>}
              <span className="font-mono text-xs text-slate-500">{j.templateVersion}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="block">
        <span className="text-xs font-medium text-slate-600">Only the responses of a judgments filter (empty: the whole dataset)</span>
        <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="verdict=3:NO&label=incorrect" className={`${input} font-mono text-sm`} />
        <span className="mt-0.5 block text-xs text-slate-500">
          {filter && matching !== null && initial.filter === filter
            ? `${formatInt(matching)} ${matching === 1 ? "response" : "responses"} of ${dataset?.name ?? "the dataset"} ${matching === 1 ? "matches" : "match"} this filter.`
            : "Use “Run judges on these” on the Judgments page to fill this in from a filtered view."}
        </span>
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
        Judge again what this judge and template version already judged (otherwise skipped; failed items are always retried)
      </label>
      <label className="block">
        <span className="text-xs font-medium text-slate-600">Samples per item</span>
        <input
          type="number"
          min={1}
          max={16}
          step={1}
          value={samplesText}
          onChange={(e) => setSamplesText(e.target.value)}
          aria-invalid={samplesError !== null}
          className="mt-1 block w-24 rounded-md border border-slate-300 bg-white px-2 py-1.5 tabular-nums"
          aria-describedby="samples-hint"
        />
        <span id="samples-hint" className="mt-0.5 block text-xs text-slate-500">
          1 judges each response once. More asks the judge again for the same prompt (at its temperature, which must be above 0) and keeps every answer as a sample, for the
          self-consistency view&apos;s flip rate; the first sample is the judge&apos;s answer everywhere else. Costs that many calls per response.
        </span>
        {samplesError && samplesText.trim() !== "" && (
          <span role="alert" className="mt-1 block text-sm text-red-700" data-testid="samples-invalid">
            {samplesError}
          </span>
        )}
        {cannotSample.length > 0 && (
          <span role="alert" className="mt-1 block text-sm text-amber-800" data-testid="samples-problem">
            {cannotSample.map((j) => j.samplesProblem).join(". ")}.
          </span>
        )}
      </label>
      <div className="flex items-center gap-3">
        <button type="submit" disabled={start.isPending || judgeIds.length === 0 || !datasetId || samplesError !== null || cannotSample.length > 0} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60">
          {start.isPending ? "Starting…" : judgeIds.length > 1 ? `Start ${judgeIds.length} runs` : "Start run"}
        </button>
        {!start.isPending && (!datasetId || judgeIds.length === 0 || samplesText.trim() === "") && (
          <p className="text-sm text-slate-600" data-testid="run-blocked">
            {!datasetId ? "Choose a dataset to run on." : judgeIds.length === 0 ? "Tick at least one judge to start." : "Give the samples per item (1 judges each response once)."}
          </p>
        )}
        {start.isError && (
          <p role="alert" className="text-red-700">
            {start.error.message}
          </p>
        )}
      </div>
    </form>
  );
}
