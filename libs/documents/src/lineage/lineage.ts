import { randomUUID } from 'node:crypto';

export interface OldParagraph {
  label: string;
  text: string;
  lineageKey: string;
}

export interface NewParagraph {
  label: string;
  text: string;
}

export type LineageMatch = 'same' | 'text' | 'similar' | 'new' | 'corrected';

const words = (t: string) =>
  new Set(
    t
      .toLowerCase()
      .replace(/[*_`]/g, '')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Below this word overlap a paragraph counts as new rather than as a rewrite of an old one. */
export const SIMILARITY_THRESHOLD = 0.5;

/**
 * Gives each paragraph of a new version the lineage key of the paragraph it continues: first the same
 * label and text, then the same text anywhere (moved or renumbered), then the most similar remaining
 * text; otherwise a new key. `corrections` (label -> old key, or null for "new") override the guess.
 */
export function assignLineage(
  previous: OldParagraph[],
  next: NewParagraph[],
  corrections: Map<string, string | null> = new Map(),
): { lineageKey: string; match: LineageMatch }[] {
  const out: ({ lineageKey: string; match: LineageMatch } | undefined)[] = Array.from(
    { length: next.length },
    () => undefined,
  );
  const used = new Set<string>();
  const validKeys = new Set(previous.map((p) => p.lineageKey));

  next.forEach((p, i) => {
    if (!corrections.has(p.label)) return;
    const key = corrections.get(p.label) ?? null;
    if (key && validKeys.has(key) && !used.has(key)) {
      used.add(key);
      out[i] = { lineageKey: key, match: 'corrected' };
    } else if (key === null) out[i] = { lineageKey: randomUUID(), match: 'corrected' };
  });

  const pass = (match: LineageMatch, same: (o: OldParagraph, n: NewParagraph) => boolean) => {
    next.forEach((n, i) => {
      if (out[i]) return;
      const o = previous.find((x) => !used.has(x.lineageKey) && same(x, n));
      if (o) {
        used.add(o.lineageKey);
        out[i] = { lineageKey: o.lineageKey, match };
      }
    });
  };
  pass('same', (o, n) => o.label === n.label && o.text === n.text);
  pass('text', (o, n) => o.text === n.text);

  // Similar text: best pairs first, so a paragraph goes to its closest predecessor.
  const oldSets = previous.map((o) => words(o.text));
  const pairs: { i: number; j: number; score: number }[] = [];
  next.forEach((n, i) => {
    if (out[i]) return;
    const ws = words(n.text);
    previous.forEach((o, j) => {
      if (used.has(o.lineageKey)) return;
      const score = jaccard(ws, oldSets[j]) + (o.label === n.label ? 0.05 : 0);
      if (score >= SIMILARITY_THRESHOLD) pairs.push({ i, j, score });
    });
  });
  pairs.sort((a, b) => b.score - a.score);
  for (const { i, j } of pairs) {
    if (out[i] || used.has(previous[j].lineageKey)) continue;
    used.add(previous[j].lineageKey);
    out[i] = { lineageKey: previous[j].lineageKey, match: 'similar' };
  }
  return out.map((m) => m ?? { lineageKey: randomUUID(), match: 'new' as const });
}
