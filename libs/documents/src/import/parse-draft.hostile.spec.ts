/**
 * Issue 14: the draft parser on hostile input. Each case below took seconds to minutes before the parser was made
 * linear (a participant's "1." + 160,000 spaces + "x" blocked the event loop for ~23 s). The tests assert what
 * comes out, never how long it took (shared 2-core machines); the generous timeout only stops a regression from
 * hanging the suite.
 */
import fc from 'fast-check';
import { parseDraft, ParsedDraft } from './parse-draft';

jest.setTimeout(60_000);

const FORMATS = ['text', 'markdown'] as const;
const paragraphs = (d: ParsedDraft) => d.sections.flatMap((s) => s.paragraphs);
const N = 200_000;
/** Equality of long strings without jest's diff, which is itself quadratic on a failure. */
const same = (actual: string | null | undefined, expected: string) => {
  expect(actual?.length).toBe(expected.length);
  expect(actual === expected).toBe(true);
};

describe('parseDraft on long runs (each was quadratic or worse before issue 14)', () => {
  it.each(FORMATS)('"1." + 160,000 spaces + "x" is paragraph 1 saying "x" (%s)', (format) => {
    const d = parseDraft(`1.${' '.repeat(160_000)}x`, format);
    expect(paragraphs(d)).toEqual([{ label: '1', kind: 'numbered', text: 'x', footnotes: [] }]);
  });

  it.each(FORMATS)('inner runs of spaces, tabs and no-break spaces are kept inside a paragraph (%s)', (format) => {
    const run = ' \t\u00A0'.repeat(N / 3);
    const d = parseDraft(`1. a${run}b${run}\n`, format);
    expect(paragraphs(d)).toHaveLength(1);
    same(paragraphs(d)[0].text, `a${' '.repeat(run.length)}b`);
  });

  it('a Markdown heading with a long run of spaces inside is still a heading', () => {
    const d = parseDraft(`# a${' '.repeat(900_000)}b\n\n1. One.`, 'markdown');
    same(d.title, `a${' '.repeat(900_000)}b`);
    expect(paragraphs(d).map((p) => p.label)).toEqual(['1']);
  });

  it('a Markdown heading made of a long run of # keeps its text; 7 or more leading # is not a heading', () => {
    same(parseDraft(`# ${'#'.repeat(N)}x ${'#'.repeat(N)}\n\n1. One.`, 'markdown').title, `${'#'.repeat(N)}x`);
    const d = parseDraft(`${'#'.repeat(N)} x\n\n1. One.`, 'markdown');
    expect(d.title).toBeNull();
    expect(d.frontMatter).toEqual([]);
    expect(paragraphs(d).map((p) => p.label)).toEqual(['PP1', '1']);
  });

  it('a block of 100,000 Markdown headings is read as headings, not re-spliced line by line', () => {
    const d = parseDraft(`# Title\n${'## Part\n'.repeat(100_000)}1. One.`, 'markdown');
    expect(d.title).toBe('Title');
    expect(d.sections).toHaveLength(1);
    expect(d.sections[0]).toMatchObject({ heading: 'Part', paragraphs: [{ label: '1', text: 'One.' }] });
    expect(d.frontMatter).toHaveLength(99_999);
  });

  it('a footnote continued over 100,000 lines is one footnote', () => {
    const d = parseDraft(`1. Cites[^1].\n\n[^1]: Start\n${'more\n'.repeat(100_000)}`, 'markdown');
    expect(paragraphs(d)[0].footnotes).toHaveLength(1);
    same(paragraphs(d)[0].footnotes[0].text, `Start${' more'.repeat(100_000)}`);
  });

  it('a text footnote block continued over 100,000 lines is one footnote', () => {
    const d = parseDraft(`1. Cites[1] here.\n\nFootnotes\n\n[1] Start\n${'more\n'.repeat(100_000)}`, 'text');
    same(paragraphs(d)[0].footnotes[0].text, `Start${' more'.repeat(100_000)}`);
  });

  // Runs of every character a rule looks at, alone, after each prefix a rule starts with, and unterminated.
  const runs: [string, string][] = [
    ['digits', '7'],
    ['dots', '.'],
    ['asterisks', '*'],
    ['underscores', '_'],
    ['dashes', '-'],
    ['em dashes', '—'],
    ['hashes', '#'],
    ['opening brackets', '['],
    ['closing brackets', ']'],
    ['carets', '^'],
    ['parentheses', '('],
    ['letters', 'a'],
    ['superscripts', '¹'],
    ['colons', ':'],
    ['bullets', '•'],
    ['footnote openers', '[^'],
    ['bracketed numbers', '[1]'],
    ['line separators', '\u2028'],
  ];
  const prefixes = ['', '1. ', '1.', '- ', '* ', '(a) ', 'a) ', '# ', '[^', '[^x]: ', '[1] ', '¹ ', 'Notes\n\n'];

  it.each(runs)('%s: long runs after every prefix are read, and their text comes out', (_name, unit) => {
    const run = unit.repeat(Math.ceil(N / unit.length));
    for (const format of FORMATS) {
      for (const prefix of prefixes) {
        for (const body of [run, `${run}x`, `${run} x`, `x${run}`, `${run}\n${run}`]) {
          const input = `${prefix}${body}`;
          const d = parseDraft(input, format);
          // Whatever the rules made of it, the text comes out: as a paragraph, a heading, a note, or a footnote
          // (an uncited one is reported). Only a draft of nothing but blanks gives nothing.
          const kept = [
            d.title ?? '',
            ...d.frontMatter,
            ...d.notes,
            ...d.sections.flatMap((s) => [s.heading ?? '', ...s.paragraphs.map((p) => p.text)]),
          ].join('');
          expect(kept.length + d.report.footnotes > 0).toBe(input.trim() !== '');
        }
      }
    }
  });

  it('a mixed 900 kB draft made of all of the above is read', () => {
    const parts = [
      '# Pathological draft',
      `1.${' '.repeat(100_000)}x`,
      `## a${' '.repeat(100_000)}b`,
      `2. ${'*'.repeat(100_000)}`,
      `3. ${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      `(a) ${'('.repeat(100_000)}`,
      `${'1'.repeat(100_000)}.`,
      `4. ${'.'.repeat(100_000)}`,
      `[^1]: ${'_'.repeat(100_000)}`,
      `5. ${' \t'.repeat(50_000)}y`,
    ];
    const input = parts.join('\n\n');
    expect(input.length).toBeGreaterThan(900_000);
    const d = parseDraft(input, 'markdown');
    expect(d.title).toBe('Pathological draft');
    expect(paragraphs(d).map((p) => p.label)).toEqual(['1', '2', '3', '3 (a)', '4', '5']);
    expect(d.report.footnotes).toBe(1);
  });
});

describe('the linear rewrites read what the old regexes read', () => {
  // The patterns that were replaced, as oracles on short input (where backtracking costs nothing).
  const OLD_HEADING = /^(#{1,6})\s+(.+?)\s*#*$/;
  const alphabet = fc.constantFrom('#', '#', ' ', '\t', 'a', 'B', '1', '.', '*', '\u00A0', '\u2028', '\u3000');

  it('Markdown headings: same text', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 30 }), (chars) => {
        const line = chars.join('');
        fc.pre(line.trim().length > 0);
        const d = parseDraft(line, 'markdown');
        const m = OLD_HEADING.exec(line.replace(/[\t\u00A0]/g, ' ').trim());
        const heading = d.title ?? d.sections[0]?.heading ?? null;
        expect(heading).toBe(m ? m[2] : null);
      }),
      { numRuns: 5000 },
    );
  });

  it('trailing whitespace (what `\\s+$` removed) changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }),
        fc.array(fc.constantFrom(' ', '\t', '\u00A0', '\u3000', '\u2028'), { maxLength: 10 }),
        (chars, tail) => {
          const text = `1. x${chars.join('')}${tail.join('')}\n2. y${tail.join('')}`;
          const trimmed = text
            .split('\n')
            .map((l) => l.replace(/\s+$/, ''))
            .join('\n');
          for (const format of FORMATS) expect(parseDraft(text, format)).toEqual(parseDraft(trimmed, format));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
