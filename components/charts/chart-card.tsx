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

/** The chart's SVG as a standalone document: size, namespace, white background, the page's font. */
function standaloneSvg(container: HTMLElement, title: string): { text: string; width: number; height: number } | null {
  // The chart's own surface (legend icons are small recharts surfaces too).
  const svg = container.querySelector<SVGSVGElement>(".recharts-wrapper > svg.recharts-surface") ?? container.querySelector("svg");
  if (!svg) return null;
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", String(Math.round(width)));
  copy.setAttribute("height", String(Math.round(height)));
  copy.setAttribute("font-family", getComputedStyle(container).fontFamily);
  copy.setAttribute("font-size", "12");
  const background = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", "#ffffff");
  copy.prepend(background);
  const heading = document.createElementNS("http://www.w3.org/2000/svg", "title");
  heading.textContent = title;
  copy.prepend(heading);
  return { text: new XMLSerializer().serializeToString(copy), width, height };
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
    <section className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={testId} aria-label={title}>
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
