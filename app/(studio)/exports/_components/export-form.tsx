"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { startExportAction } from "@/lib/io/actions";
import { judgeName } from "@/lib/judges/name";
import { exportKeys } from "./use-exports";

type TChoice = { id: number; name: string; judges: { id: number; name: string; sizeLabel: string }[]; subjects: string[] };

const KINDS = [
  { value: "distillation", label: "Distillation SFT set (chat JSONL + Parquet)" },
  { value: "rlvr", label: "RLVR prompt set (query, label)" },
  { value: "flat", label: "Flat judgments (CSV or JSONL, every column)" },
];

/** The form of a new export; the export runs on the server and appears in the list below. */
/** `defaultSystemMessage`: what an RLVR export gives the questions imported without one when none is typed. */
export function ExportForm({ choices, initialDatasetId, defaultSystemMessage }: { choices: TChoice[]; initialDatasetId?: number; defaultSystemMessage: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState("distillation");
  // Start on the dataset asked for (from a dataset's page), else on one that has judgments, if
  // any: the distillation set needs a teacher.
  const [datasetId, setDatasetId] = useState(
    (choices.find((c) => c.id === initialDatasetId) ?? choices.find((c) => c.judges.length > 0) ?? choices[0])?.id ?? 0,
  );
  const chosen = choices.find((c) => c.id === datasetId);
  const judges = chosen?.judges ?? [];
  const subjects = chosen?.subjects ?? [];
  const [teacher, setTeacher] = useState<number | "">("");
  const [agreeA, setAgreeA] = useState<number | "">("");
  const [agreeB, setAgreeB] = useState<number | "">("");
  const [expertOverride, setExpertOverride] = useState(true);
  const [dropUnparseable, setDropUnparseable] = useState(true);
  const [balance, setBalance] = useState(false);
  const [systemMessage, setSystemMessage] = useState(false);
  const [splits, setSplits] = useState("0.9, 0.05, 0.05");
  const [seed, setSeed] = useState("0");
  const [format, setFormat] = useState("jsonl");
  const [spreadsheetSafe, setSpreadsheetSafe] = useState(true);
  // RLVR: only these subjects (none picked: all), a system message for questions imported without one.
  const [pickedSubjects, setPickedSubjects] = useState<string[]>([]);
  const [systemPrompt, setSystemPrompt] = useState("");
  // Flat: only these judges (none picked: every judge).
  const [flatJudges, setFlatJudges] = useState<number[]>([]);

  const start = useMutation({
    mutationFn: async () => {
      // Number("") is 0: an emptied field would quietly become seed 0.
      if (kind !== "flat" && seed.trim() === "") throw new Error("Seed: give a whole number (any one: the same seed gives the same split and order).");
      const [train = 1, validation = 0, test = 0] = splits.split(",").map((s) => Number(s.trim()));
      const common = { datasetId, seed: Number(seed), splits: { train, validation, test } };
      const options =
        kind === "distillation"
          ? { kind, ...common, teacherJudgeId: teacher || judges[0]?.id, expertOverride, dropUnparseable, balance, systemMessage, agreeJudgeIds: agreeA && agreeB ? [agreeA, agreeB] : undefined }
          : kind === "rlvr"
            ? { kind, ...common, subjects: pickedSubjects.filter((x) => subjects.includes(x)), systemPrompt: systemPrompt.trim() || undefined }
            : { kind, datasetId, format, spreadsheetSafe, judgeIds: flatJudges.filter((id) => judges.some((j) => j.id === id)) };
      const result = await startExportAction(options);
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onSuccess: async ({ id }) => {
      await queryClient.invalidateQueries({ queryKey: exportKeys.all });
      router.push(`/exports/${id}`);
    },
  });

  if (choices.length === 0) return <p className="mt-4 text-slate-600">No datasets yet: import one first.</p>;
  const judgeSelect = (value: number | "", set: (v: number | "") => void, label: string, optional = false) => (
    <label className="block">
      <span className="text-sm text-slate-700">{label}</span>
      <select value={value} onChange={(e) => set(e.target.value ? Number(e.target.value) : "")} className="mt-1 block max-w-full rounded border border-slate-300 px-2 py-1.5" aria-label={label}>
        {optional && <option value="">none</option>}
        {judges.map((j) => <option key={j.id} value={j.id}>{judgeName(j)}</option>)}
      </select>
    </label>
  );
  const check = (value: boolean, set: (v: boolean) => void, label: string) => (
    <label className="flex items-center gap-2">
      <input type="checkbox" checked={value} onChange={(e) => set(e.target.checked)} />
      <span>{label}</span>
    </label>
  );

  return (
    <form
      className="mt-4 space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate();
      }}
    >
      <div className="flex flex-wrap gap-4">
        <label className="block w-full sm:w-auto">
          <span className="text-sm text-slate-700">Export</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1.5 sm:w-auto" aria-label="Export kind">
            {KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
          </select>
        </label>
        <label className="block">
          <span className="text-sm text-slate-700">Dataset</span>
          <select value={datasetId} onChange={(e) => setDatasetId(Number(e.target.value))} className="mt-1 block max-w-full rounded border border-slate-300 px-2 py-1.5" aria-label="Dataset">
            {choices.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        {kind === "distillation" && judgeSelect(teacher || (judges[0]?.id ?? ""), setTeacher, "Teacher judge")}
        {kind === "distillation" && judgeSelect(agreeA, setAgreeA, "Only where judge…", true)}
        {kind === "distillation" && judgeSelect(agreeB, setAgreeB, "…agrees with judge", true)}
        {kind === "flat" && (
          <label className="block">
            <span className="text-sm text-slate-700">Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value)} className="mt-1 block max-w-full rounded border border-slate-300 px-2 py-1.5" aria-label="Format">
              <option value="jsonl">JSONL</option>
              <option value="csv">CSV</option>
            </select>
          </label>
        )}
        {kind === "flat" && format === "csv" && (
          <div className="self-end text-sm">
            {check(spreadsheetSafe, setSpreadsheetSafe, "Safe to open in a spreadsheet")}
            <p className="mt-0.5 max-w-xs text-xs text-slate-500">
              {spreadsheetSafe
                ? "Texts starting with =, +, - or @ get a leading ' so that a spreadsheet shows them instead of running them."
                : "Every text exactly as stored, for pandas and the like: a text such as =HYPERLINK(…) would run in a spreadsheet."}
            </p>
          </div>
        )}
        {kind !== "flat" && (
          <>
            <label className="block">
              <span className="text-sm text-slate-700">Split train, validation, test (by question)</span>
              <input value={splits} onChange={(e) => setSplits(e.target.value)} className="mt-1 block w-48 rounded border border-slate-300 px-2 py-1.5" />
            </label>
            <label className="block">
              <span className="text-sm text-slate-700">Seed</span>
              <input value={seed} onChange={(e) => setSeed(e.target.value)} inputMode="numeric" className="mt-1 block w-24 rounded border border-slate-300 px-2 py-1.5" aria-label="Seed" />
            </label>
          </>
        )}
      </div>
      {kind === "rlvr" && (
        <div className="flex flex-wrap items-start gap-4">
          {subjects.length > 0 && (
            <label className="block">
              <span className="text-sm text-slate-700">Subjects (none picked: all)</span>
              <select
                multiple
                value={pickedSubjects}
                onChange={(e) => setPickedSubjects([...e.target.selectedOptions].map((o) => o.value))}
                className="mt-1 block h-28 w-64 rounded border border-slate-300 px-2 py-1"
                aria-label="Subjects"
              >
                {subjects.map((x) => <option key={x} value={x}>{x}</option>)}
              </select>
            </label>
          )}
          <label className="block">
            <span className="text-sm text-slate-700">System message for questions imported without one</span>
            <input
              value={systemPrompt}
              onChange={(e) => setSystemPrompt(e.target.value)}
              placeholder={defaultSystemMessage}
              maxLength={10_000}
              className="mt-1 block w-96 rounded border border-slate-300 px-2 py-1.5"
              aria-label="System message"
              aria-describedby="system-message-hint"
            />
            <span id="system-message-hint" className="mt-1 block w-96 text-xs text-slate-500">
              Left empty: &ldquo;{defaultSystemMessage}&rdquo;, the paper&apos;s. The released format&apos;s query is always a system message and the question.
            </span>
          </label>
        </div>
      )}
      {kind === "flat" && judges.length > 0 && (
        <fieldset className="flex flex-wrap items-center gap-4">
          <legend className="text-sm text-slate-700">Judges (none picked: every judge)</legend>
          {judges.map((j) => (
            <label key={j.id} className="flex items-center gap-2">
              <input type="checkbox" checked={flatJudges.includes(j.id)} onChange={(e) => setFlatJudges(e.target.checked ? [...flatJudges, j.id] : flatJudges.filter((id) => id !== j.id))} />
              <span>{judgeName(j)}</span>
            </label>
          ))}
        </fieldset>
      )}
      {kind === "distillation" && judges.length === 0 && <p className="text-amber-800">This dataset has no judgments yet: nothing to distil.</p>}
      {kind === "distillation" && (
        <div className="flex flex-wrap gap-6">
          {check(expertOverride, setExpertOverride, "Expert labels override the teacher")}
          {check(dropUnparseable, setDropUnparseable, "Drop items the teacher answered unparseably")}
          {check(balance, setBalance, "Balance YES/NO by downsampling")}
          {check(systemMessage, setSystemMessage, "Add the system message")}
        </div>
      )}
      <div className="flex items-center gap-4">
        <button type="submit" disabled={start.isPending || (kind === "distillation" && judges.length === 0)} className="rounded bg-blue-700 px-4 py-1.5 text-white hover:bg-blue-800 disabled:opacity-50">
          {start.isPending ? "Starting…" : "Export"}
        </button>
        {start.error && <p className="text-rose-700" role="alert">{start.error.message}</p>}
      </div>
    </form>
  );
}
