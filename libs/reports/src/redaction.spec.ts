import type { ReportData } from './report-data';
import { type CurrentSight, quotedRefs, redact, withheldNotice } from './redaction';

/** A report quoting three contributions: a, b (an amendment and its matrix row each) and c (a cluster's representative). */
function report(): ReportData {
  const amendment = (id: string, tn: string) => ({
    contributionId: id,
    trackingNumber: tn,
    author: `Author ${id}`,
    organisation: `Org ${id}`,
    group: 'academia',
    comment: `words of ${id}`,
    proposedText: `proposal of ${id}`,
    endorsements: 2,
    disposition: 'noted',
    diff: [{ op: 'insert' as const, text: `proposal of ${id}` }],
  });
  const row = (id: string, tn: string) => ({
    contributionId: id,
    trackingNumber: tn,
    submitter: `Author ${id}`,
    organisation: `Org ${id}`,
    group: 'academia',
    country: 'FR',
    region: 'western_european_others',
    paragraph: '1',
    version: 1,
    kind: 'amendment',
    comment: `words of ${id}`,
    proposedChange: `proposal of ${id}`,
    status: 'published',
    disposition: 'noted',
    response: 'Thanks.',
    resultingParagraph: null,
    submittedAt: '2026-01-01T00:00:00.000Z',
  });
  const cluster = { id: 'k', status: 'confirmed', count: 3, representative: 'T-R1-000003', representativeId: 'c' };
  return {
    consultation: { id: 'x', code: 'T', title: 'T' },
    round: null,
    document: { id: 'd', title: 'D', version: 1, versionName: 'zero draft' },
    generatedAt: '2026-01-01T00:00:00.000Z',
    participation: {
      contributors: 3,
      contributions: 3,
      verifiedFocalPoints: 0,
      byGroup: [],
      byRegion: [],
      byCountry: [],
      perDay: [],
    },
    mostDiscussed: [],
    paragraphs: [
      {
        label: '1',
        lineageKey: 'l',
        published: 3,
        byKind: { comment: 0, amendment: 2, reply: 1 },
        endorsements: 4,
        endorsementsByGroup: {},
        dispositions: {},
        clusters: [cluster],
        amendments: [amendment('a', 'T-R1-000001'), amendment('b', 'T-R1-000002')],
      },
    ],
    clusters: [cluster],
    matrix: [row('a', 'T-R1-000001'), row('b', 'T-R1-000002')],
    changes: null,
  };
}

const text: CurrentSight = { sight: 'text', status: 'published', reason: null };

describe('redacting a report for one reader', () => {
  it('leaves a report the reader may read whole exactly as it was', () => {
    const d = report();
    const out = redact(d, () => text);
    expect(out.redactions).toEqual({ count: 0, byReason: {}, note: null });
    expect(out.data).toEqual(d);
    expect(quotedRefs(d).map((r) => r.id)).toEqual(['a', 'b', 'c', 'c', 'a', 'b']);
  });

  it('a hidden one keeps its trace (tracking number, author), loses its words; a withdrawn one loses what names it too', () => {
    const d = report();
    const sights: Record<string, CurrentSight> = {
      a: { sight: 'trace', status: 'hidden', reason: 'personal_data' },
      b: { sight: 'none', status: 'withdrawn', reason: null },
      c: { sight: 'none', status: 'withdrawn', reason: null },
    };
    const out = redact(d, (r) => sights[r.id!]);
    const [a, b] = out.data.paragraphs[0].amendments;
    expect(a).toMatchObject({
      trackingNumber: 'T-R1-000001',
      author: 'Author a',
      comment: '[withheld: hidden by the moderators after this report was made — reason: personal data]',
      proposedText: '',
      diff: [],
      organisation: '[withheld]',
      withheld: 'personal_data',
    });
    expect(b).toMatchObject({
      trackingNumber: '[withheld]',
      author: '[withheld]',
      comment: '[withheld: withdrawn by its author after this report was made]',
      disposition: null,
      withheld: 'withdrawn',
    });
    expect(out.data.matrix[0]).toMatchObject({
      trackingNumber: 'T-R1-000001',
      status: 'hidden',
      comment: a.comment,
      proposedChange: null,
      response: null,
    });
    expect(out.data.matrix[1]).toMatchObject({
      trackingNumber: '[withheld]',
      submitter: '[withheld]',
      country: '[withheld]',
      response: null,
    });
    expect(out.data.clusters[0]).toMatchObject({ representative: '[withheld]', count: 3 });
    expect(JSON.stringify(out.data)).not.toMatch(/words of|proposal of|Org [abc]/);
    // Each contribution counted once, however often quoted; in words as well as codes.
    expect(out.redactions).toMatchObject({ count: 3, byReason: { personal_data: 1, withdrawn: 2 } });
    expect(out.redactions.note).toMatch(
      /^3 items redacted under today's visibility policy: 1 hidden by the moderators after this report was made \(reason: personal data\); 2 withdrawn by their authors after this report was made\./,
    );
    // The stored snapshot is not touched.
    expect(d.paragraphs[0].amendments[0].comment).toBe('words of a');
  });

  it('a contribution that cannot be found is withheld (serving fails closed), and a hidden representative stays cited', () => {
    const out = redact(report(), (r) =>
      r.id === 'c'
        ? { sight: 'trace', status: 'hidden', reason: 'spam' }
        : { sight: 'none', status: 'unavailable', reason: null },
    );
    expect(out.data.clusters[0].representative).toBe('T-R1-000003');
    expect(out.redactions.byReason).toEqual({ unavailable: 2 });
    expect(withheldNotice({ sight: 'none', status: 'unavailable', reason: null })).toBe(
      '[withheld: no longer available]',
    );
  });
});
