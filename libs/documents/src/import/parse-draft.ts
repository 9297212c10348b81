/**
 * Turns a draft as secretariats write it (plain text or Markdown; Word arrives here as Markdown) into
 * sections of labelled paragraphs. Pure: no I/O, so every rule is tested on fixtures.
 *
 * Linear time on any input (issue 14): drafts come from people we do not control, so no regex here may
 * backtrack over an unbounded run, and no step may redo work per line (no splice, no re-trim of a growing
 * string). Every regex left is anchored at the start and backtracks at most once over a run; the two that
 * did not (`\s+$` when trimming lines, the lazy `(.+?)\s*#*$` of Markdown headings) are plain loops now.
 * parse-draft.hostile.spec.ts feeds it long runs of every character the rules look at.
 */

export interface ParsedFootnote {
  marker: string;
  text: string;
}

export interface ParsedParagraph {
  label: string;
  kind: 'numbered' | 'preamble' | 'subitem';
  text: string;
  footnotes: ParsedFootnote[];
}

export interface ParsedSection {
  heading: string | null;
  paragraphs: ParsedParagraph[];
}

export interface ImportReport {
  sections: number;
  numberedParagraphs: number;
  preambleParagraphs: number;
  subItems: number;
  footnotes: number;
  notes: number;
  warnings: string[];
}

export interface ParsedDraft {
  title: string | null;
  frontMatter: string[];
  notes: string[];
  sections: ParsedSection[];
  report: ImportReport;
}

const NUMBERED = /^(?:[-*•]\s+)?(\d{1,4})\.\s+(.*)$/;
const SUBITEM = /^(?:[-*•]\s+)?(?:\(([a-z]{1,4})\)|([a-z]{1,4})\))\s+(.*)$/;
const MD_FOOTNOTE_DEF = /^\[\^([\w-]+)\]:\s*(.*)$/;
const FOOTNOTE_BLOCK_START = /^(?:footnotes|notes|_{3,}|-{3,}|—{2,})\s*:?$/i;
const TEXT_FOOTNOTE = /^(?:\[(\d{1,3})\]|(\d{1,3})|([¹²³⁴⁵⁶⁷⁸⁹⁰]+))[.)]?\s+(.*)$/;
const SUPERSCRIPTS: Record<string, string> = {
  '⁰': '0',
  '¹': '1',
  '²': '2',
  '³': '3',
  '⁴': '4',
  '⁵': '5',
  '⁶': '6',
  '⁷': '7',
  '⁸': '8',
  '⁹': '9',
};
const ROMAN = /^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$/;

type Block = string[];

function normalise(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n')
      .replace(/[\t\u00A0\u2007\u202F]/g, ' ')
      .split('\n')
      // trimEnd, not replace(/\s+$/): the regex retries from every space of a run that does not end the line.
      .map((l) => l.trimEnd())
      .join('\n')
  );
}

function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let cur: Block = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) {
      if (cur.length) blocks.push(cur);
      cur = [];
    } else cur.push(line);
  }
  if (cur.length) blocks.push(cur);
  return blocks;
}

const blockKey = (b: Block) => b.join(' ').replace(/\s+/g, ' ').trim().toLowerCase();

const LINE_BREAK_IN_TEXT = /[\u2028\u2029]/;

/**
 * `## Heading ##` as level and text, or null: what `/^(#{1,6})\s+(.+?)\s*#*$/` matched, without its
 * quadratic retry of the lazy group at every character of a long run of spaces. Lines arrive trimmed.
 */
function markdownHeading(line: string): { level: number; text: string } | null {
  let level = 0;
  while (level < 7 && line.charCodeAt(level) === 0x23) level++;
  if (level === 0 || level > 6) return null;
  const rest = line.slice(level);
  const body = rest.trimStart();
  if (body.length === rest.length || body.length === 0) return null;
  let end = body.length;
  while (end > 1 && body.charCodeAt(end - 1) === 0x23) end--;
  const text = body.slice(0, end).trimEnd();
  // `.` in the old pattern stopped at U+2028/U+2029, so such a line was not a heading: keep that.
  return LINE_BREAK_IN_TEXT.test(text) ? null : { level, text };
}

function isHeadingLine(line: string): boolean {
  if (NUMBERED.test(line) || SUBITEM.test(line) || MD_FOOTNOTE_DEF.test(line)) return false;
  if (line.length > 120 || /[.,;:]$/.test(line)) return false;
  if (line.split(/\s+/).length > 16) return false;
  return /^[\p{Lu}\p{N}]/u.test(line.replace(/^[*_]+/, ''));
}

function superscriptToDigits(s: string): string {
  return [...s].map((c) => SUPERSCRIPTS[c] ?? c).join('');
}

/** Footnote markers a paragraph cites: `[^1]`, `[1]` or superscript digits. */
function citedMarkers(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\[\^([\w-]+)\]/g)) found.add(m[1]);
  for (const m of text.matchAll(/(?<!^)\[(\d{1,3})\]/g)) found.add(m[1]);
  for (const m of text.matchAll(/[¹²³⁴⁵⁶⁷⁸⁹⁰]+/g)) found.add(superscriptToDigits(m[0]));
  return [...found];
}

export function parseDraft(input: string, format: 'markdown' | 'text'): ParsedDraft {
  const warnings: string[] = [];
  let blocks = toBlocks(normalise(input));

  // 1. Footnotes: Markdown definitions anywhere; in text, a trailing block after "Footnotes"/"Notes"/a rule.
  // Parts are joined once at the end: appending to the string and trimming it per line was quadratic.
  const parts = new Map<string, string[]>();
  blocks = blocks
    .map((b) => {
      const kept: string[] = [];
      let last: string | null = null;
      for (const line of b) {
        const m = MD_FOOTNOTE_DEF.exec(line);
        if (m) {
          parts.set(m[1], [m[2]]);
          last = m[1];
        } else if (last && kept.length === 0 && !NUMBERED.test(line)) {
          parts.get(last)!.push(line);
        } else kept.push(line);
      }
      return kept;
    })
    .filter((b) => b.length);
  const fnStart = blocks.findIndex((b, i) => i > 0 && FOOTNOTE_BLOCK_START.test(b[0]));
  if (fnStart > 0) {
    const tail = blocks.slice(fnStart).flatMap((b, i) => (i === 0 ? b.slice(1) : b));
    let current: string | null = null;
    for (const line of tail) {
      const m = TEXT_FOOTNOTE.exec(line);
      if (m) {
        current = m[1] ?? m[2] ?? superscriptToDigits(m[3]);
        parts.set(current, [m[4]]);
      } else if (current) parts.get(current)!.push(line);
    }
    blocks = blocks.slice(0, fnStart);
  }
  const footnotes = new Map([...parts].map(([marker, text]) => [marker, text.join(' ').trim()]));

  // 2. Running blocks (a disclaimer or header repeated verbatim) are kept once, as notes.
  const keys = blocks.map(blockKey);
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const notes: string[] = [];
  const noteKeys = new Set<string>();
  blocks = blocks.filter((b, i) => {
    const key = keys[i];
    const repeated = (counts.get(key) ?? 0) >= 2 && key.length >= 30 && !NUMBERED.test(b[0]) && !SUBITEM.test(b[0]);
    if (!repeated) return true;
    if (!noteKeys.has(key)) {
      noteKeys.add(key);
      notes.push(b.join(' '));
    }
    return false;
  });

  // 3. Walk the blocks.
  let title: string | null = null;
  const frontMatter: string[] = [];
  const sections: ParsedSection[] = [];
  let section: ParsedSection | null = null;
  let current: ParsedParagraph | null = null;
  let lastNumber: string | null = null;
  let lastSub: string | null = null;
  let lastSubLabel: string | null = null;
  let preamble = 0;
  const seenNumbers = new Map<number, number>();
  let previousNumber: number | null = null;
  const all: ParsedParagraph[] = [];

  const startSection = (heading: string | null) => {
    // A heading directly followed by another heading belongs to the title block, not to an empty section.
    if (section && section.paragraphs.length === 0 && section.heading) {
      sections.pop();
      frontMatter.push(section.heading);
    }
    section = { heading, paragraphs: [] };
    sections.push(section);
  };
  const add = (p: ParsedParagraph) => {
    if (!section) startSection(null);
    section!.paragraphs.push(p);
    all.push(p);
    current = p;
  };
  /** A heading line (of a block of `size` lines from it on) becomes the title or starts a section. */
  const walkHeading = (first: string, size: number): boolean => {
    const md = format === 'markdown' ? markdownHeading(first) : null;
    const textHeading = format === 'text' && size === 1 && isHeadingLine(first);
    if (!md && !textHeading) return false;
    const heading = md ? md.text : first;
    if (title === null && all.length === 0 && sections.length === 0 && (!md || md.level === 1)) title = heading;
    else startSection(heading);
    current = null;
    return true;
  };

  // A Markdown heading on the first line of a block is taken off, and the rest of the block is read as a
  // block of its own: `from` marks where that rest starts (slicing or splicing it in was quadratic).
  for (const whole of blocks) {
    let from = 0;
    while (from < whole.length && walkHeading(whole[from], whole.length - from)) from += 1;
    if (from === whole.length) continue;
    const block = from === 0 ? whole : whole.slice(from);
    // Markdown: short lines above the title (symbol, body, session) are the title block.
    if (
      format === 'markdown' &&
      title === null &&
      all.length === 0 &&
      sections.length === 0 &&
      block.every(isHeadingLine)
    ) {
      frontMatter.push(...block);
      continue;
    }
    block.forEach((line, li) => {
      const n = NUMBERED.exec(line);
      if (n) {
        const num = Number(n[1]);
        if (seenNumbers.has(num)) warnings.push(`Paragraph ${num} appears more than once.`);
        else if (previousNumber !== null && num !== previousNumber + 1) {
          warnings.push(
            num > previousNumber + 1
              ? `Numbering gap: paragraph ${num} follows ${previousNumber}.`
              : `Numbering goes back: paragraph ${num} follows ${previousNumber}.`,
          );
        }
        seenNumbers.set(num, (seenNumbers.get(num) ?? 0) + 1);
        previousNumber = num;
        lastNumber = n[1];
        lastSub = null;
        lastSubLabel = null;
        add({ label: n[1], kind: 'numbered', text: n[2], footnotes: [] });
        return;
      }
      const s = SUBITEM.exec(line);
      if (s && (lastNumber !== null || preamble > 0)) {
        const mark = s[1] ?? s[2];
        const parent = lastNumber ?? `PP${preamble}`;
        const roman =
          ROMAN.test(mark) &&
          lastSub !== null &&
          !(mark === 'i' && lastSub === 'h') &&
          !(mark === 'v' && lastSub === 'u') &&
          !(mark === 'x' && lastSub === 'w');
        if (roman && lastSubLabel) {
          add({ label: `${lastSubLabel} (${mark})`, kind: 'subitem', text: s[3], footnotes: [] });
        } else {
          lastSub = mark;
          lastSubLabel = `${parent} (${mark})`;
          add({ label: lastSubLabel, kind: 'subitem', text: s[3], footnotes: [] });
        }
        return;
      }
      if (li > 0 && current) {
        current.text = `${current.text} ${line}`;
        return;
      }
      if (lastNumber === null) {
        preamble += 1;
        add({ label: `PP${preamble}`, kind: 'preamble', text: line, footnotes: [] });
        return;
      }
      if (current) {
        warnings.push(`An unnumbered paragraph after ${current.label} was joined to it: "${line.slice(0, 60)}".`);
        current.text = `${current.text}\n\n${line}`;
      } else {
        preamble += 1;
        add({ label: `PP${preamble}`, kind: 'preamble', text: line, footnotes: [] });
      }
    });
  }
  if (section && (section as ParsedSection).paragraphs.length === 0 && sections.length > 1) sections.pop();

  // 4. Footnotes go to the paragraphs that cite them.
  const cited = new Set<string>();
  for (const p of all) {
    for (const marker of citedMarkers(p.text)) {
      const text = footnotes.get(marker);
      if (text !== undefined) {
        p.footnotes.push({ marker, text });
        cited.add(marker);
      }
    }
  }
  for (const marker of footnotes.keys())
    if (!cited.has(marker)) warnings.push(`Footnote ${marker} is not cited by any paragraph.`);

  return {
    title,
    frontMatter,
    notes,
    sections,
    report: importReport(sections, footnotes.size, notes.length, warnings),
  };
}

/** The counts of an import report, for a parsed draft or a version built from edits. */
export function importReport(
  sections: ParsedSection[],
  footnotes: number,
  notes: number,
  warnings: string[],
): ImportReport {
  const all = sections.flatMap((s) => s.paragraphs);
  return {
    sections: sections.length,
    numberedParagraphs: all.filter((p) => p.kind === 'numbered').length,
    preambleParagraphs: all.filter((p) => p.kind === 'preamble').length,
    subItems: all.filter((p) => p.kind === 'subitem').length,
    footnotes,
    notes,
    warnings,
  };
}
