"use client";

// One item on the review screen: question, reference and the response with its final step (what
// the judge saw) highlighted. Long responses start collapsed to their last part.
import { useState } from "react";
import { Markdown } from "@/components/ui/markdown";
import type { TReviewItem } from "@/lib/review/items";
import { splitFinalStep } from "@/lib/review/final-step";

const LONG = 1500;

export function ItemView({ item }: { item: TReviewItem }) {
  const [expanded, setExpanded] = useState(false);
  const { before, final } = splitFinalStep(item.response, item.finalStep);
  const isLong = before.length > LONG;
  const shown = isLong && !expanded ? `…${before.slice(before.length - 600)}` : before;
  return (
    <article className="space-y-4" data-testid="review-item" data-response-id={item.responseId}>
      <Block title={`Question${item.subject ? ` · ${item.subject}` : ""}`}>
        <Markdown text={item.question} className="text-[15px]" />
      </Block>
      <Block title="Reference answer">
        <div className="rounded-md bg-emerald-50 px-3 py-2 ring-1 ring-emerald-200" data-testid="review-reference">
          <Markdown text={item.reference} />
        </div>
      </Block>
      <Block title={`Response${item.policyModel ? ` · ${item.policyModel}` : ""} · sample ${item.sampleIndex}`}>
        <div className="rounded-md bg-white px-3 py-2 ring-1 ring-slate-200" data-testid="review-response">
          {isLong && (
            <button type="button" onClick={() => setExpanded((v) => !v)} className="mb-2 text-sm text-blue-700 hover:underline" aria-expanded={expanded}>
              {expanded ? "Collapse the response" : `Show the whole response (${item.response.length.toLocaleString("en-US")} characters)`}
            </button>
          )}
          {shown.trim() && <Markdown text={shown} className="text-slate-700" />}
          {final ? (
            <div className="mt-2 rounded-md bg-yellow-100 px-2 py-1 ring-1 ring-yellow-300" data-testid="review-final-step">
              <span className="mr-2 text-xs font-semibold tracking-wide text-yellow-900 uppercase">Final step</span>
              <Markdown text={final} className="inline-block align-top" />
            </div>
          ) : (
            !item.response.trim() && <p className="text-slate-400">(empty response)</p>
          )}
        </div>
      </Block>
    </article>
  );
}

function Block({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h2 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h2>
      {children}
    </section>
  );
}
