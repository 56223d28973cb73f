"use client";

// A chart with its downloads: the data as CSV, the chart as SVG (the chart's own vector drawing,
// made standalone) and as PNG (that SVG drawn at twice the size). Every chart of the studio sits
// in one, so every figure can leave the studio as numbers or as a picture.
import { useRef, type ReactNode } from "react";
import { toCsv, type TCsvValue } from "./csv";

type TProps = {
  title: string;
  description?: ReactNode;
  /** file name without extension */
  filename: string;
  rows: readonly Record<string, TCsvValue>[];
  columns?: readonly string[];
  children: ReactNode;
  testId?: string;
  /** a table rather than a chart: only the CSV download */
  isTable?: boolean;
  /** nothing to draw or download (the card says why in its children): no download buttons */
  empty?: boolean;
};

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const SVG_NS = "http://www.w3.org/2000/svg";
const TITLE_HEIGHT = 28;
const LEGEND_HEIGHT = 24;

/** The legend's entries as the page shows them (recharts draws its legend in HTML, outside the chart's SVG). */
function legendEntries(container: HTMLElement): { label: string; color: string }[] {
  return [...container.querySelectorAll<HTMLElement>(".recharts-legend-item")].map((item) => {
    const mark = item.querySelector("svg path, svg rect, svg line");
    const fill = mark?.getAttribute("fill");
    const color = fill && fill !== "none" ? fill : (mark?.getAttribute("stroke") ?? "#64748b");
    return { label: item.querySelector(".recharts-legend-item-text")?.textContent ?? item.textContent ?? "", color };
  });
}

/**
 * The chart as a standalone SVG document, as it reads on its own: its title above, the chart
 * (its own SVG, nested), and its legend below; white background, the page's font.
 */
function standaloneSvg(container: HTMLElement, title: string): { text: string; width: number; height: number } | null {
  // The chart's own surface (legend icons are small recharts surfaces too).
  const svg = container.querySelector<SVGSVGElement>(".recharts-wrapper > svg.recharts-surface") ?? container.querySelector("svg");
  if (!svg) return null;
  const { width: w, height: h } = svg.getBoundingClientRect();
  const legend = legendEntries(container);
  const width = Math.round(w);
  const height = Math.round(h) + TITLE_HEIGHT + (legend.length ? LEGEND_HEIGHT : 0);
  const element = (name: string, attributes: Record<string, string | number>, text?: string) => {
    const node = document.createElementNS(SVG_NS, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const root = element("svg", { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}`, "font-family": getComputedStyle(container).fontFamily, "font-size": 12 });
  root.append(element("title", {}, title), element("rect", { width: "100%", height: "100%", fill: "#ffffff" }));
  root.append(element("text", { x: 12, y: 19, "font-size": 14, "font-weight": 600, fill: "#0f172a" }, title));
  const chart = svg.cloneNode(true) as SVGSVGElement;
  chart.setAttribute("x", "0");
  chart.setAttribute("y", String(TITLE_HEIGHT));
  chart.setAttribute("width", String(Math.round(w)));
  chart.setAttribute("height", String(Math.round(h)));
  root.append(chart);
  // The legend, one entry after the other; a long one is cut at the right edge, as the page would wrap it.
  let x = 12;
  const y = TITLE_HEIGHT + Math.round(h) + 16;
  for (const entry of legend) {
    root.append(element("rect", { x, y: y - 9, width: 10, height: 10, fill: entry.color }));
    root.append(element("text", { x: x + 14, y, fill: "#334155" }, entry.label));
    x += 14 + entry.label.length * 6.5 + 16;
  }
  return { text: new XMLSerializer().serializeToString(root), width, height };
}

export function ChartCard({ title, description, filename, rows, columns, children, testId, isTable = false, empty = false }: TProps) {
  const chart = useRef<HTMLDivElement>(null);

  const onCsv = () => download(new Blob([toCsv(rows, columns)], { type: "text/csv;charset=utf-8" }), `${filename}.csv`);
  const onSvg = () => {
    const svg = chart.current && standaloneSvg(chart.current, title);
    if (svg) download(new Blob([svg.text], { type: "image/svg+xml" }), `${filename}.svg`);
  };
  const onPng = () => {
    const svg = chart.current && standaloneSvg(chart.current, title);
    if (!svg) return;
    const image = new Image();
    image.onload = () => {
      const scale = 2;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(svg.width * scale);
      canvas.height = Math.round(svg.height * scale);
      const context = canvas.getContext("2d")!;
      context.scale(scale, scale);
      context.drawImage(image, 0, 0, svg.width, svg.height);
      canvas.toBlob((blob) => blob && download(blob, `${filename}.png`), "image/png");
    };
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.text)}`;
  };

  const button = "rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50";
  return (
    // min-w-0: in a grid its table or chart scrolls inside it on a phone rather than widen the page.
    <section className="min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={testId} aria-label={title}>
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1">
          <h3 className="font-medium">{title}</h3>
          {description && <div className="mt-0.5 text-xs text-slate-500">{description}</div>}
        </div>
        {!empty && (
          <div className="flex gap-1" role="group" aria-label={`Download ${title}`}>
            <button type="button" className={button} onClick={onCsv}>
              CSV
            </button>
            {!isTable && (
              <>
                <button type="button" className={button} onClick={onSvg}>
                  SVG
                </button>
                <button type="button" className={button} onClick={onPng}>
                  PNG
                </button>
              </>
            )}
          </div>
        )}
      </div>
      <div ref={chart} className="mt-3">
        {children}
      </div>
    </section>
  );
}
