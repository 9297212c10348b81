import { fixture } from '../../../../test/support/fixtures';
import { parseDraft } from './parse-draft';

const C11 = fixture('context', 'wsis-c11-draft-vision.txt');

describe('parseDraft: the C11 draft vision', () => {
  const d = parseDraft(C11, 'text');
  const paragraphs = d.sections.flatMap((s) => s.paragraphs);
  const numbered = paragraphs.filter((p) => p.kind === 'numbered');

  it('has one section under the title, with paragraphs 1 to 30 in order', () => {
    expect(d.title).toBe('Draft WSIS+10 Vision for WSIS Beyond 2015');
    expect(d.sections).toHaveLength(1);
    expect(d.sections[0].heading).toBe('C11. International and Regional Cooperation');
    expect(numbered.map((p) => p.label)).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    expect(d.report).toMatchObject({ sections: 1, numberedParagraphs: 30, subItems: 0, notes: 1, warnings: [] });
  });

  it('keeps the bold phrases, including the oddly closed one in 13', () => {
    expect(numbered[0].text).toBe(
      'Promote **regional coordination at all levels of the Internet ecosystem**: infrastructure, management of the Internet traffic, content creation, applications and systems creation.',
    );
    expect(numbered[12].text).toContain('within the framework of the **Official Development**Assistance.');
    expect(numbered[29].text).toBe('Foster creation of ICT-based services using **mobile communications services**.');
  });

  it('keeps the repeated disclaimer once as a note, never as a paragraph or inside 4', () => {
    expect(d.notes).toEqual([
      'This document builds upon the input/ background documents and the contributions received during the WSIS+10 High-Level Event Open Consultation Process. It has been developed for the purposes of the First Physical meeting of the Open Consultation Process.',
    ]);
    expect(numbered[3].text).toBe(
      'Encourage creation of **international projects** participated in by several countries',
    );
    for (const p of numbered)
      expect(p.text).not.toContain(
        'It has been developed for the purposes of the First Physical meeting of the Open Consultation Process.',
      );
  });

  it('keeps the unnumbered introduction as preamble paragraphs', () => {
    const pre = paragraphs.filter((p) => p.kind === 'preamble');
    expect(pre.map((p) => p.label)).toEqual(['PP1', 'PP2', 'PP3']);
    expect(pre[0].text).toMatch(/This document is awaiting input from UN DESA\.$/);
    expect(pre[1].text).toMatch(/^Recognizing the central role/);
  });
});

describe('parseDraft: a General Assembly resolution in Markdown', () => {
  const d = parseDraft(fixture('drafts', 'ga-resolution.md'), 'markdown');
  const paragraphs = d.sections.flatMap((s) => s.paragraphs);
  const byLabel = Object.fromEntries(paragraphs.map((p) => [p.label, p]));

  it('takes the title block, headings as sections and the preamble', () => {
    expect(d.title).toBe('Resolution adopted by the General Assembly on 16 December 2015');
    expect(d.frontMatter).toEqual(['United Nations', 'General Assembly', 'Seventieth session', 'Agenda item 16']);
    expect(d.sections.map((s) => s.heading)).toEqual([
      'Outcome document of the high-level meeting on the overall review of the implementation of the outcomes of the World Summit on the Information Society',
      'Information and communications technologies for development',
      'Internet governance',
    ]);
    expect(d.sections[0].paragraphs.map((p) => p.label)).toEqual(['PP1', 'PP2', 'PP3', '1']);
    expect(byLabel.PP1.text).toBe('*The General Assembly*,');
    expect(byLabel.PP3.text).toContain('**Geneva Declaration of Principles**');
  });

  it('labels lettered sub-items under their paragraph and joins continuation lines', () => {
    expect(d.sections[1].paragraphs.map((p) => p.label)).toEqual(['2', '2 (a)', '2 (b)', '2 (c)', '3']);
    expect(byLabel['2 (a)'].text).toBe('Expanding **affordable access** to broadband;');
    expect(byLabel['3'].text).toBe(
      '*Calls upon* all stakeholders to bridge the gender digital divide, in particular through education.',
    );
  });

  it('attaches footnotes to the paragraphs that cite them', () => {
    expect(byLabel.PP2.footnotes).toEqual([{ marker: '1', text: 'A/RES/68/302.' }]);
    expect(byLabel['2 (b)'].footnotes).toEqual([
      { marker: '2', text: 'See also the report of the Secretary-General (A/70/63).' },
    ]);
    expect(byLabel['5'].footnotes).toEqual([{ marker: '3', text: 'Tunis Agenda, para. 72.' }]);
  });

  it('reports counts and the numbering gap', () => {
    expect(d.report).toEqual({
      sections: 3,
      numberedParagraphs: 6,
      preambleParagraphs: 3,
      subItems: 3,
      footnotes: 3,
      notes: 0,
      warnings: ['Numbering gap: paragraph 7 follows 5.'],
    });
  });
});

describe('parseDraft: a Word-style plain-text draft', () => {
  const d = parseDraft(fixture('drafts', 'word-draft.txt'), 'text');
  const paragraphs = d.sections.flatMap((s) => s.paragraphs);

  it('keeps the running header once as a note and finds title, sections, sub-items and footnotes', () => {
    expect(d.title).toBe('ZERO DRAFT – FOR CONSULTATION');
    expect(d.notes).toEqual(['Draft prepared by the Chair – not for citation']);
    expect(d.sections.map((s) => s.heading)).toEqual([
      'Enhanced cooperation: draft recommendations',
      'Introduction',
      'Recommendations',
    ]);
    expect(paragraphs.map((p) => p.label)).toEqual(['PP1', '1', '2', '3', '3 (a)', '3 (b)', '4', '4']);
    expect(paragraphs[2].footnotes).toEqual([
      { marker: '1', text: 'As mandated by General Assembly resolution 67/195.' },
    ]);
    expect(d.report.warnings).toEqual(['Paragraph 4 appears more than once.']);
  });
});

describe('parseDraft: edge cases', () => {
  it('treats (i), (ii) after (h)/(a) sensibly', () => {
    const d = parseDraft('1. Chapeau:\n(a) first;\n(i) roman one;\n(ii) roman two;\n(b) second;\n', 'text');
    expect(d.sections[0].paragraphs.map((p) => p.label)).toEqual(['1', '1 (a)', '1 (a) (i)', '1 (a) (ii)', '1 (b)']);
  });

  it('returns nothing for blank input', () => {
    expect(parseDraft(' \n\n ', 'text').sections).toEqual([]);
  });
});
