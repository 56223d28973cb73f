"use client";

// The studio's charts, on recharts (its one charting library). Each takes plain rows from a
// server component; the ChartCard around it offers the same rows as CSV and the drawing as
// SVG/PNG. Animations are off: figures should appear as they are, and screenshots be stable.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, ComposedChart, ErrorBar, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export const PALETTE = ["#2563eb", "#059669", "#d97706", "#db2777", "#7c3aed", "#0891b2", "#64748b"];

export type TSeries = { key: string; name: string; color?: string; stack?: string };

const axis = { fontSize: 11, fill: "#475569" };
const grid = <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />;

/**
 * Bars per category (a histogram when categories are bins), grouped or stacked. `hrefs`: per
 * series, the page each bar opens (the bar's items in the judgments list), by row.
 */
export function BarsChart({
  data,
  x,
  series,
  height = 260,
  yLabel,
  xLabel,
  yDomain,
  hrefs,
}: {
  data: Record<string, unknown>[];
  x: string;
  series: TSeries[];
  height?: number;
  yLabel?: string;
  xLabel?: string;
  yDomain?: [number, number];
  hrefs?: Record<string, (string | null)[]>;
}) {
  const router = useRouter();
  return (
    <>
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: xLabel ? 28 : 8, left: 8 }}>
        {grid}
        <XAxis dataKey={x} tick={axis} interval="equidistantPreserveStart" label={xLabel ? { value: xLabel, position: "insideBottom", offset: -16, style: axis } : undefined} />
        <YAxis tick={axis} domain={yDomain} label={yLabel ? { value: yLabel, angle: -90, position: "insideLeft", style: axis } : undefined} />
        <Tooltip />
        {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" itemSorter={inOrder(series.map((s) => s.key))} />}
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            fill={s.color ?? PALETTE[i % PALETTE.length]}
            stackId={s.stack}
            isAnimationActive={false}
            cursor={hrefs?.[s.key] ? "pointer" : undefined}
            onClick={(_, index) => {
              const href = hrefs?.[s.key]?.[index];
              if (href) router.push(href);
            }}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
    {hrefs && <BarLinks data={data} x={x} xLabel={xLabel} series={series} hrefs={hrefs} />}
    </>
  );
}

/**
 * The bars that open pages, as a table of links: the way in for the keyboard and screen readers,
 * which the drawing's bars (clickable with a pointer only) are not.
 */
function BarLinks({ data, x, xLabel, series, hrefs }: { data: Record<string, unknown>[]; x: string; xLabel?: string; series: TSeries[]; hrefs: Record<string, (string | null)[]> }) {
  return (
    <details className="mt-1 text-xs" data-testid="bar-links">
      <summary className="cursor-pointer text-slate-600">The bars as a table, each count opening its items</summary>
      <table className="mt-1 w-full text-right tabular-nums">
        <thead>
          <tr className="text-slate-500">
            <th scope="col" className="py-0.5 pr-2 text-left font-medium">{xLabel?.replace(/\s*\(.*\)$/, "") ?? x}</th>
            {series.map((s) => (
              <th key={s.key} scope="col" className="py-0.5 pl-2 font-medium">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((row, index) => (
            <tr key={index} className="border-t border-slate-100">
              <th scope="row" className="py-0.5 pr-2 text-left font-normal">
                {String(row[x])}
              </th>
              {series.map((s) => {
                const href = hrefs[s.key]?.[index];
                const value = Number(row[s.key] ?? 0).toLocaleString("en-US");
                return (
                  <td key={s.key} className="py-0.5 pl-2">
                    {href ? (
                      <Link href={href} className="text-blue-700 hover:underline">
                        {value}
                      </Link>
                    ) : (
                      value
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/**
 * The legend in the order the series are drawn (and listed in the tables beside the charts);
 * Recharts sorts it by name unless told otherwise.
 */
const inOrder = (keys: string[]) => (item: { dataKey?: unknown }) => keys.indexOf(String(item.dataKey));

/** Lines over a numeric x (the threshold sweep). */
export function LinesChart({ data, x, series, height = 260, xLabel, yDomain = [0, 1], marker }: { data: Record<string, unknown>[]; x: string; series: TSeries[]; height?: number; xLabel?: string; yDomain?: [number, number]; marker?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: xLabel ? 28 : 8, left: 8 }}>
        {grid}
        <XAxis dataKey={x} type="number" domain={[0, 1]} tick={axis} label={xLabel ? { value: xLabel, position: "insideBottom", offset: -16, style: axis } : undefined} />
        <YAxis tick={axis} domain={yDomain} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" itemSorter={inOrder(series.map((s) => s.key))} />
        {marker !== undefined && <ReferenceLine x={marker} stroke="#94a3b8" strokeDasharray="4 4" />}
        {series.map((s, i) => (
          <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color ?? PALETTE[i % PALETTE.length]} dot={false} strokeWidth={2} isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/**
 * Reliability diagram: per bin of soft reward, the mean soft reward and the share the experts
 * call correct (equal on a calibrated judge), with the bin's count as bars on the right axis.
 */
export function ReliabilityChart({ data, height = 300 }: { data: { bin: string; predicted: number | null; observed: number | null; count: number }[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 28, left: 8 }}>
        {grid}
        <XAxis dataKey="bin" tick={axis} label={{ value: "soft reward bin", position: "insideBottom", offset: -16, style: axis }} />
        <YAxis yAxisId="p" domain={[0, 1]} tick={axis} label={{ value: "reward / share correct", angle: -90, position: "insideLeft", style: axis }} />
        <YAxis yAxisId="n" orientation="right" tick={axis} label={{ value: "items", angle: 90, position: "insideRight", style: axis }} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} verticalAlign="top" itemSorter={inOrder(["count", "predicted", "observed"])} />
        <Bar yAxisId="n" dataKey="count" name="items in bin" fill="#cbd5e1" isAnimationActive={false} />
        <Line yAxisId="p" dataKey="predicted" name="mean soft reward" stroke="#94a3b8" strokeDasharray="5 4" strokeWidth={2} isAnimationActive={false} connectNulls />
        <Line yAxisId="p" dataKey="observed" name="share experts call correct" stroke="#2563eb" strokeWidth={2} isAnimationActive={false} connectNulls />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** One bar per group with its 95% interval (kappa by subject, by policy model...). */
export function IntervalBarsChart({ data, height, valueName = "kappa", domain = [-0.2, 1] }: { data: { group: string; value: number | null; low: number | null; high: number | null }[]; height?: number; valueName?: string; domain?: [number, number] }) {
  const rows = data.map((d) => ({ ...d, error: d.value === null || d.low === null || d.high === null ? [0, 0] : [d.value - d.low, d.high - d.value] }));
  // The axis reaches the lowest value or interval end (down to -1, in steps of 0.2), so that a
  // whisker below the default start is drawn whole and its ticks are labelled.
  const lowest = Math.min(domain[0], ...rows.flatMap((r) => [r.value, r.low]).filter((v): v is number => v !== null));
  const from = Math.max(-1, Math.floor(Math.round(lowest * 1e6) / 1e6 / 0.2) * 0.2);
  const ticks = Array.from({ length: Math.round((domain[1] - from) / 0.2) + 1 }, (_, i) => Math.round((from + 0.2 * i) * 10) / 10);
  return (
    <ResponsiveContainer width="100%" height={height ?? Math.max(120, 26 * rows.length + 48)}>
      <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        {grid}
        <XAxis type="number" domain={[from, domain[1]]} ticks={ticks} tick={axis} />
        <YAxis type="category" dataKey="group" tick={axis} width={150} interval={0} />
        <Tooltip />
        <Bar dataKey="value" name={valueName} fill={PALETTE[0]} isAnimationActive={false}>
          <ErrorBar dataKey="error" width={4} strokeWidth={1.5} stroke="#0f172a" direction="x" isAnimationActive={false} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
