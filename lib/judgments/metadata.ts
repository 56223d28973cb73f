// What the detail panel shows of an item's metadata: the columns an import kept beyond the mapped
// fields, and what the reward endpoint records (the trainer's step, the request). Metadata is
// whatever a file held, so it is shown as text, cut, and a bounded number of keys.
export const METADATA_KEYS_SHOWN = 30;
export const METADATA_VALUE_CHARS = 300;

export type TMetadataEntry = { key: string; value: string; cut: boolean };

/** The entries of a metadata object as text (a non-string value as its JSON), in the object's order. */
export function metadataEntries(metadata: unknown): { entries: TMetadataEntry[]; more: number } {
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) return { entries: [], more: 0 };
  const all = Object.entries(metadata as Record<string, unknown>);
  const entries = all.slice(0, METADATA_KEYS_SHOWN).map(([key, raw]) => {
    const text = typeof raw === "string" ? raw : JSON.stringify(raw) ?? String(raw);
    // By code points, so a cut never leaves half an emoji.
    const points = [...text];
    const cut = points.length > METADATA_VALUE_CHARS;
    return { key, value: cut ? `${points.slice(0, METADATA_VALUE_CHARS).join("")}…` : text, cut };
  });
  return { entries, more: Math.max(0, all.length - METADATA_KEYS_SHOWN) };
}
