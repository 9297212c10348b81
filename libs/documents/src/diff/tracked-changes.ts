import { DeletedTextRun, Document, HeadingLevel, InsertedTextRun, Packer, Paragraph, TextRun } from 'docx';
import type { ParagraphDiff, WordOp } from './diff-versions';

export interface TrackedChangesInput {
  title: string;
  fromName: string;
  toName: string;
  /** Who the revisions are attributed to in Word, and when. */
  author: string;
  date: Date;
  diff: ParagraphDiff[];
  /** Text of each paragraph, by id, in both versions. */
  texts: Map<string, string>;
  /** Tracking numbers of the contributions accepted into each paragraph, by lineage key. */
  citations: Map<string, string[]>;
}

/** Markdown emphasis markers are not Word formatting: the text is shown without them. */
const plain = (s: string) => s.replace(/\*\*/g, '').replace(/(^|[^*])\*([^*]+)\*/g, '$1$2');

/**
 * The new version as a Word file in which every insertion and deletion is a real Word revision (w:ins / w:del), so
 * the secretariat can review them with Word's own Accept/Reject; each changed or new paragraph cites the
 * contributions accepted into it.
 */
export async function trackedChangesDocx(input: TrackedChangesInput): Promise<Buffer> {
  let id = 1;
  const rev = () => ({ id: id++, author: input.author, date: input.date.toISOString() });
  const runs = (ops: WordOp[]) =>
    ops.map((o) =>
      o.op === 'insert'
        ? new InsertedTextRun({ text: plain(o.text), ...rev() })
        : o.op === 'delete'
          ? new DeletedTextRun({ text: plain(o.text), ...rev() })
          : new TextRun(plain(o.text)),
    );
  const body: Paragraph[] = [
    new Paragraph({ text: input.title, heading: HeadingLevel.TITLE }),
    new Paragraph({
      children: [
        new TextRun({
          text: `${input.toName}, with the changes from the ${input.fromName} shown as tracked changes.`,
          italics: true,
        }),
      ],
    }),
  ];
  for (const d of input.diff) {
    const label = (d.to ?? d.from)!.label;
    const prefix = new TextRun({ text: `${label}. `, bold: true });
    if (d.status === 'deleted') {
      body.push(
        new Paragraph({
          children: [prefix, new DeletedTextRun({ text: plain(input.texts.get(d.from!.id) ?? ''), ...rev() })],
        }),
      );
      continue;
    }
    if (d.status === 'new')
      body.push(
        new Paragraph({
          children: [prefix, new InsertedTextRun({ text: plain(input.texts.get(d.to!.id) ?? ''), ...rev() })],
        }),
      );
    else if (d.status === 'changed' && d.ops) body.push(new Paragraph({ children: [prefix, ...runs(d.ops)] }));
    else body.push(new Paragraph({ children: [prefix, new TextRun(plain(input.texts.get(d.to!.id) ?? ''))] }));
    const cited = input.citations.get(d.lineageKey);
    if ((d.status === 'changed' || d.status === 'new') && cited?.length) {
      body.push(
        new Paragraph({
          children: [new TextRun({ text: `Following contributions ${cited.join(', ')}.`, italics: true, size: 18 })],
        }),
      );
    }
  }
  const doc = new Document({ features: { trackRevisions: true }, sections: [{ children: body }] });
  return Packer.toBuffer(doc);
}
