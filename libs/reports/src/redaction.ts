import type { Sight } from '@plenary/contributions';
import type { Redactions, ReportAmendmentItem, ReportCluster, ReportData, ReportMatrixRow } from './report-data';

/** What one reader may see today of a contribution a report quotes (the visibility policy's answer), and why. */
export interface CurrentSight {
  sight: Sight;
  /** Today's status, or `unavailable` when the contribution cannot be found. */
  status: string;
  /** The moderator's reason code, for hidden and rejected contributions. */
  reason: string | null;
}

/** How a report names a quoted contribution: by id, or (reports made before issue 14) by tracking number only. */
export interface QuotedRef {
  id?: string;
  trackingNumber: string;
}

export const UNAVAILABLE: CurrentSight = Object.freeze({ sight: 'none', status: 'unavailable', reason: null });

/** Short stand-in for a withheld cell that is not the words themselves (organisation, author...). */
export const WITHHELD = '[withheld]';

const human = (s: string) => s.replace(/_/g, ' ');

const CAUSES: Record<string, string> = {
  hidden: 'hidden by the moderators after this report was made',
  rejected: 'rejected by the moderators after this report was made',
  withdrawn: 'withdrawn by its author after this report was made',
  pending: 'returned to the moderators for review after this report was made',
  unavailable: 'no longer available',
};
const cause = (s: CurrentSight, many = false) => {
  const words = CAUSES[s.status] ?? 'not visible to you under the current visibility policy';
  return many ? words.replace('by its author', 'by their authors') : words;
};

/** The reason code a redaction is counted under. */
export function reasonCode(s: CurrentSight): string {
  if ((s.status === 'hidden' || s.status === 'rejected') && s.reason) return s.reason;
  return (
    ({ withdrawn: 'withdrawn', pending: 'under_review', unavailable: 'unavailable' } as Record<string, string>)[
      s.status
    ] ?? 'not_visible'
  );
}

/** The words that replace a withheld text, e.g. "[withheld: hidden by the moderators after this report was made — reason: off topic]". */
export function withheldNotice(s: CurrentSight): string {
  const why = (s.status === 'hidden' || s.status === 'rejected') && s.reason ? ` — reason: ${human(s.reason)}` : '';
  return `[withheld: ${cause(s)}${why}]`;
}

/** Every contribution a report quotes: its amendments, the representatives of its clusters, its matrix rows. */
export function quotedRefs(d: ReportData): QuotedRef[] {
  const refs: QuotedRef[] = [];
  const cluster = (k: ReportCluster) => refs.push({ id: k.representativeId, trackingNumber: k.representative });
  for (const p of d.paragraphs) {
    for (const a of p.amendments) refs.push({ id: a.contributionId, trackingNumber: a.trackingNumber });
    p.clusters.forEach(cluster);
  }
  d.clusters.forEach(cluster);
  for (const row of d.matrix)
    refs.push({
      id: (row.contributionId as string | undefined) ?? undefined,
      trackingNumber: String(row.trackingNumber ?? ''),
    });
  return refs;
}

/**
 * The report as one reader may read it today: every quoted contribution this reader may not see as text has its
 * words (text, proposed text, diff, on whose behalf) replaced by a notice in words; one this reader may not see at
 * all loses what names it too (tracking number, author, place in the matrix). Trace-level facts of a hidden one
 * (tracking number, author, group, disposition) stay, as the policy allows. The figures are untouched: they count
 * what the public read when the report was made and quote no one. `identify` names the contribution behind a
 * reference, so that one quoted twice is counted once. Returns a new object; `d` is not changed.
 */
export function redact(
  d: ReportData,
  sightOf: (ref: QuotedRef) => CurrentSight,
  identify: (ref: QuotedRef) => string = (ref) => ref.id ?? `#${ref.trackingNumber}`,
): { data: ReportData; redactions: Redactions } {
  const withheld = new Map<string, CurrentSight>(); // by contribution: counted once however often quoted
  const check = (ref: QuotedRef): CurrentSight | null => {
    const s = sightOf(ref);
    if (s.sight === 'text') return null;
    withheld.set(identify(ref), s);
    return s;
  };

  const amendment = (a: ReportAmendmentItem): ReportAmendmentItem => {
    const s = check({ id: a.contributionId, trackingNumber: a.trackingNumber });
    if (!s) return a;
    const words = {
      ...a,
      comment: withheldNotice(s),
      proposedText: '',
      diff: [],
      organisation: WITHHELD,
      withheld: reasonCode(s),
    };
    return s.sight === 'trace'
      ? words
      : { ...words, trackingNumber: WITHHELD, author: WITHHELD, group: 'withheld', disposition: null };
  };
  const clusterView = (k: ReportCluster): ReportCluster => {
    // A cluster quotes only its representative's tracking number: a trace, withheld only from who may not know it exists.
    if (sightOf({ id: k.representativeId, trackingNumber: k.representative }).sight !== 'none') return k;
    check({ id: k.representativeId, trackingNumber: k.representative });
    return { ...k, representative: WITHHELD };
  };
  const matrixRow = (row: ReportMatrixRow): ReportMatrixRow => {
    const s = check({
      id: (row.contributionId as string | undefined) ?? undefined,
      trackingNumber: String(row.trackingNumber ?? ''),
    });
    if (!s) return row;
    const words = {
      ...row,
      comment: withheldNotice(s),
      proposedChange: null,
      response: null,
      organisation: WITHHELD,
      withheld: reasonCode(s),
    };
    if (s.sight === 'trace') return { ...words, status: s.status };
    return {
      ...words,
      trackingNumber: WITHHELD,
      submitter: WITHHELD,
      group: WITHHELD,
      country: WITHHELD,
      region: WITHHELD,
      status: WITHHELD,
      disposition: null,
      response: null,
      resultingParagraph: null,
      submittedAt: null,
    };
  };

  const data: ReportData = {
    ...d,
    paragraphs: d.paragraphs.map((p) => ({
      ...p,
      amendments: p.amendments.map(amendment),
      clusters: p.clusters.map(clusterView),
    })),
    clusters: d.clusters.map(clusterView),
    matrix: d.matrix.map(matrixRow),
  };
  return { data, redactions: summarise([...withheld.values()]) };
}

function summarise(items: CurrentSight[]): Redactions {
  const byReason: Record<string, number> = {};
  const groups = new Map<string, { s: CurrentSight; n: number }>();
  for (const s of items) {
    byReason[reasonCode(s)] = (byReason[reasonCode(s)] ?? 0) + 1;
    const g = groups.get(`${s.status}:${reasonCode(s)}`) ?? { s, n: 0 };
    groups.set(`${s.status}:${reasonCode(s)}`, { s, n: g.n + 1 });
  }
  if (!items.length) return { count: 0, byReason, note: null };
  const hasReason = (s: CurrentSight) => (s.status === 'hidden' || s.status === 'rejected') && s.reason;
  const parts = [...groups.values()]
    .map(({ s, n }) => `${n} ${cause(s, n > 1)}${hasReason(s) ? ` (reason: ${human(s.reason!)})` : ''}`)
    .join('; ');
  const note =
    `${items.length} item${items.length === 1 ? '' : 's'} redacted under today's visibility policy: ${parts}. ` +
    `${items.length === 1 ? 'Its words are' : 'Their words are'} withheld; the figures are those of the report as it was made. ` +
    `The content hash of the report as made is withheld as well, since it covers those words: the consultation's chairs, ` +
    `moderators and administrators can read and verify the original.`;
  return { count: items.length, byReason, note };
}
