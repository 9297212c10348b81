import { diffWords } from 'diff';

export interface DiffParagraph {
  id: string;
  label: string;
  text: string;
  lineageKey: string;
  sectionHeading: string | null;
}

export type ParagraphChange = 'unchanged' | 'changed' | 'new' | 'deleted' | 'moved' | 'renumbered';

export interface WordOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface ParagraphDiff {
  status: ParagraphChange;
  lineageKey: string;
  from: { id: string; label: string } | null;
  to: { id: string; label: string } | null;
  /** Word-level operations, for changed paragraphs. */
  ops?: WordOp[];
  /** A changed paragraph may also have been renumbered or moved. */
  alsoRenumbered?: boolean;
  alsoMoved?: boolean;
}

/**
 * Word diff of two texts (the `diff` package), as insert/delete/equal operations. Edits beyond which a word diff stops looking for the smallest one and answers "all of it replaced": Myers' diff
 * costs O(N·D), so two long, wholly different texts would otherwise hold the event loop.
 */
export const MAX_DIFF_EDITS = 400;

export function wordDiff(from: string, to: string): WordOp[] {
  const parts = diffWords(from, to, { maxEditLength: MAX_DIFF_EDITS });
  if (!parts)
    return [
      ...(from ? [{ op: 'delete' as const, text: from }] : []),
      ...(to ? [{ op: 'insert' as const, text: to }] : []),
    ];
  return parts.map((part) => ({
    op: part.added ? 'insert' : part.removed ? 'delete' : 'equal',
    text: part.value,
  }));
}

/** Indices (into `seq`) of a longest increasing subsequence: the paragraphs that kept their relative order. */
function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array(seq.length).fill(-1);
  seq.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  });
  const keep = new Set<number>();
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = prev[i]) keep.add(i);
  return keep;
}

/**
 * Compares two versions paragraph by paragraph through their lineage keys. Order follows the new version;
 * deleted paragraphs come after the one that preceded them in the old version.
 */
export function diffVersions(from: DiffParagraph[], to: DiffParagraph[]): ParagraphDiff[] {
  const fromByKey = new Map(from.map((p, i) => [p.lineageKey, { p, i }]));
  const toKeys = new Set(to.map((p) => p.lineageKey));
  const matched = to.map((p, i) => ({ p, i, old: fromByKey.get(p.lineageKey) })).filter((m) => m.old);
  const inOrder = longestIncreasing(matched.map((m) => m.old!.i));
  const movedKeys = new Set(matched.filter((_, k) => !inOrder.has(k)).map((m) => m.p.lineageKey));

  const result: ParagraphDiff[] = [];
  const deletedAfter = new Map<string | null, DiffParagraph[]>();
  let lastKept: string | null = null;
  for (const p of from) {
    if (!toKeys.has(p.lineageKey)) deletedAfter.set(lastKept, [...(deletedAfter.get(lastKept) ?? []), p]);
    else lastKept = p.lineageKey;
  }
  const pushDeleted = (after: string | null) => {
    for (const d of deletedAfter.get(after) ?? []) {
      result.push({ status: 'deleted', lineageKey: d.lineageKey, from: { id: d.id, label: d.label }, to: null });
    }
  };
  pushDeleted(null);
  for (const p of to) {
    const old = fromByKey.get(p.lineageKey)?.p;
    if (!old) {
      result.push({ status: 'new', lineageKey: p.lineageKey, from: null, to: { id: p.id, label: p.label } });
      continue;
    }
    const moved = movedKeys.has(p.lineageKey) || old.sectionHeading !== p.sectionHeading;
    const renumbered = old.label !== p.label;
    const base = { lineageKey: p.lineageKey, from: { id: old.id, label: old.label }, to: { id: p.id, label: p.label } };
    if (old.text !== p.text) {
      result.push({
        status: 'changed',
        ...base,
        ops: wordDiff(old.text, p.text),
        alsoRenumbered: renumbered,
        alsoMoved: moved,
      });
    } else if (moved) result.push({ status: 'moved', ...base, alsoRenumbered: renumbered });
    else if (renumbered) result.push({ status: 'renumbered', ...base });
    else result.push({ status: 'unchanged', ...base });
    pushDeleted(p.lineageKey);
  }
  return result;
}
