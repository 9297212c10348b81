import { crc32, deflateSync } from 'node:zlib';
import {
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { MATRIX_COLUMNS } from '@plenary/moderation';
import { chartOptions, renderSvg } from './charts';
import { amendmentsNote, matrixNote, provenance, redactionNote, type RenderedReport } from './render';

/**
 * A flat light-grey PNG: the fallback Word versions before 2016 show instead of an SVG chart (Word 2016 and later,
 * and LibreOffice, show the SVG itself). Written here because the alternative is a native image library.
 */
function placeholderPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, 0xee)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const human = (s: string) => s.replace(/_/g, ' ');

function table(headers: string[], rows: unknown[][]): Table | Paragraph {
  if (!rows.length) return new Paragraph({ children: [new TextRun({ text: 'None.', italics: true })] });
  const cell = (v: unknown, bold = false) =>
    new TableCell({
      children: [new Paragraph({ children: [new TextRun({ text: String(v ?? ''), bold, size: 18 })] })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) })),
    ],
  });
}

function chart(option: Record<string, unknown>, width: number, height: number): Paragraph {
  const svg = Buffer.from(renderSvg(option, width, height), 'utf8');
  return new Paragraph({
    children: [
      new ImageRun({
        type: 'svg',
        data: svg,
        transformation: { width: width * 0.8, height: height * 0.8 },
        fallback: { type: 'png', data: placeholderPng(Math.round(width / 4), Math.round(height / 4)) },
      }),
    ],
  });
}

/** The report as a Word document: headings, tables, the charts as images, amendments with their proposed text. */
export async function toDocx(r: RenderedReport): Promise<Buffer> {
  const d = r.data;
  const p = d.participation;
  const o = chartOptions(d);
  const h = (text: string, heading: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
    new Paragraph({ text, heading });
  const children: (Paragraph | Table)[] = [
    h(`Interim report: ${d.consultation.title}${d.round ? `, round ${d.round.name}` : ''}`, HeadingLevel.TITLE),
    ...(redactionNote(r)
      ? [new Paragraph({ children: [new TextRun({ text: redactionNote(r), bold: true, color: 'B42318' })] })]
      : []),
    new Paragraph({ children: [new TextRun({ text: provenance(r), italics: true })] }),
    h('Participation', HeadingLevel.HEADING_1),
    new Paragraph(
      `${p.contributions} published contributions from ${p.contributors} contributors, of whom ${p.verifiedFocalPoints} verified focal points.`,
    ),
    chart(o.byGroup, 720, 60 + 32 * Math.max(1, p.byGroup.length)),
    table(
      ['Stakeholder group', 'Contributors', 'Contributions'],
      p.byGroup.map((g) => [human(g.key), g.contributors, g.contributions]),
    ),
    chart(o.byRegion, 720, 60 + 32 * Math.max(1, p.byRegion.length)),
    table(
      ['Regional group', 'Contributors', 'Contributions'],
      p.byRegion.map((g) => [human(g.key), g.contributors, g.contributions]),
    ),
    table(
      ['Country', 'Contributors', 'Contributions'],
      p.byCountry.map((g) => [g.key, g.contributors, g.contributions]),
    ),
    chart(o.perDay, 720, 320),
    h('Most discussed paragraphs', HeadingLevel.HEADING_1),
    chart(o.heatMap, 720, 200),
    table(
      ['Paragraph', 'Contributions', 'Amendments'],
      d.mostDiscussed.map((x) => [x.label, x.published, x.amendments]),
    ),
    h('Paragraph by paragraph', HeadingLevel.HEADING_1),
  ];
  for (const para of d.paragraphs.filter((x) => x.published > 0)) {
    children.push(h(`Paragraph ${para.label}`, HeadingLevel.HEADING_2));
    children.push(
      new Paragraph(
        `${para.byKind.comment} comments, ${para.byKind.amendment} amendments, ${para.byKind.reply} replies; ${para.endorsements} endorsements.`,
      ),
    );
    for (const k of para.clusters)
      children.push(new Paragraph(`Campaign (${k.status}): ${k.count} contributions like ${k.representative}.`));
    if (amendmentsNote(para))
      children.push(new Paragraph({ children: [new TextRun({ text: amendmentsNote(para), italics: true })] }));
    for (const a of para.amendments) {
      children.push(
        new Paragraph({
          children: [
            new TextRun({ text: `${a.trackingNumber}`, bold: true }),
            new TextRun(
              `, ${a.author} (${a.organisation}, ${human(a.group)})${a.disposition ? `, ${human(a.disposition)}` : ''}: ${a.comment}`,
            ),
          ],
        }),
      );
      if (!a.diff.length) continue;
      children.push(
        new Paragraph({
          children: a.diff.map(
            (op) =>
              new TextRun({
                text: op.text,
                ...(op.op === 'insert'
                  ? { underline: {}, color: '1A7F37' }
                  : op.op === 'delete'
                    ? { strike: true, color: 'B42318' }
                    : {}),
              }),
          ),
        }),
      );
    }
  }
  if (d.changes) {
    children.push(h(`Changes from version ${d.changes.from} to ${d.changes.to}`, HeadingLevel.HEADING_1));
    for (const c of d.changes.paragraphs) children.push(new Paragraph(`${c.label}: ${c.status}`));
  }
  children.push(h('Resolution matrix', HeadingLevel.HEADING_1));
  if (matrixNote(d)) children.push(new Paragraph({ children: [new TextRun({ text: matrixNote(d), italics: true })] }));
  children.push(
    table(
      MATRIX_COLUMNS.map(([, hd]) => hd),
      d.matrix.map((row) => MATRIX_COLUMNS.map(([k]) => row[k])),
    ),
  );
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}
