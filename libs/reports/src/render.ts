import { stringify } from 'csv-stringify/sync';
import { csvSafe, csvSafeRow } from '@plenary/core';
import type { WordOp } from '@plenary/documents';
import { MATRIX_COLUMNS } from '@plenary/moderation';
import { chartsSvg } from './charts';
import type { Redactions, ReportData } from './report-data';

/** A report as served to one reader: its data under today's visibility policy, and what that withheld. */
export interface RenderedReport {
  id: string;
  /** Null when withheld from this reader (it covers words withheld from them). */
  contentHash: string | null;
  createdAt: string;
  inputs: Record<string, unknown>;
  data: ReportData;
  redactions?: Redactions;
}

/** The line that names the report, its document, when it was made and its hash (or why the hash is withheld). */
export function provenance(
  r: RenderedReport,
  fmt: { text?: (s: string) => string; code?: (s: string) => string } = {},
): string {
  const d = r.data;
  const text = fmt.text ?? ((s: string) => s);
  const code = fmt.code ?? text;
  const hash = r.contentHash
    ? `content hash ${code(r.contentHash)}`
    : 'content hash withheld (see the redactions note)';
  return `Document: ${text(d.document.title)} (${text(d.document.versionName)}). Generated ${text(d.generatedAt)}. Report ${text(r.id)}, ${hash}.`;
}

/** The redactions note that heads every human format, or '' when nothing was withheld. */
export function redactionNote(r: RenderedReport): string {
  return r.redactions?.note ? `Redactions: ${r.redactions.note}` : '';
}

const human = (s: string) => s.replace(/_/g, ' ');
/** Markdown table cells: one line, pipes escaped. */
const cell = (v: unknown) =>
  String(v ?? '')
    .replace(/\r?\n/g, ' ')
    .replace(/\|/g, '\\|');
const esc = (v: unknown) =>
  String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function mdTable(headers: string[], rows: unknown[][]): string {
  if (!rows.length) return '_None._\n';
  return (
    [
      `| ${headers.join(' | ')} |`,
      `| ${headers.map(() => '---').join(' | ')} |`,
      ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    ].join('\n') + '\n'
  );
}

const mdDiff = (ops: WordOp[]) =>
  ops
    .map((o) => (o.op === 'insert' ? `**[+${o.text.trim()}]** ` : o.op === 'delete' ? `~~${o.text.trim()}~~ ` : o.text))
    .join('');
const htmlDiff = (ops: WordOp[]) =>
  ops
    .map((o) =>
      o.op === 'insert' ? `<ins>${esc(o.text)}</ins>` : o.op === 'delete' ? `<del>${esc(o.text)}</del>` : esc(o.text),
    )
    .join('');

function title(r: RenderedReport): string {
  const d = r.data;
  return `Interim report: ${d.consultation.title}${d.round ? `, round ${d.round.name}` : ''}`;
}

/** What a capped report says about what it leaves out (nothing, when nothing is left out). */
export function amendmentsNote(para: ReportData['paragraphs'][number]): string {
  return para.byKind.amendment > para.amendments.length
    ? `The ${para.amendments.length} most endorsed of ${para.byKind.amendment} amendments are shown; the open-data export has them all.`
    : '';
}
export function matrixNote(d: ReportData): string {
  const total = d.matrixTotal ?? d.matrix.length;
  return total > d.matrix.length
    ? `The first ${d.matrix.length} of ${total} rows, in order of arrival; the complete matrix is the consultation's matrix export (CSV).`
    : '';
}

export function toMarkdown(r: RenderedReport): string {
  const d = r.data;
  const p = d.participation;
  const out: string[] = [];
  out.push(`# ${title(r)}\n`);
  if (redactionNote(r)) out.push(`> **${cell(redactionNote(r))}**\n`);
  out.push(`${provenance(r, { code: (h) => `\`${h}\`` })}\n`);
  out.push(`## Participation\n`);
  out.push(
    `${p.contributions} published contributions from ${p.contributors} contributors, of whom ${p.verifiedFocalPoints} verified focal points.\n`,
  );
  out.push(
    `### By stakeholder group\n\n${mdTable(
      ['Group', 'Contributors', 'Contributions'],
      p.byGroup.map((g) => [human(g.key), g.contributors, g.contributions]),
    )}`,
  );
  out.push(
    `### By regional group\n\n${mdTable(
      ['Regional group', 'Contributors', 'Contributions'],
      p.byRegion.map((g) => [human(g.key), g.contributors, g.contributions]),
    )}`,
  );
  out.push(
    `### By country\n\n${mdTable(
      ['Country', 'Contributors', 'Contributions'],
      p.byCountry.map((g) => [g.key, g.contributors, g.contributions]),
    )}`,
  );
  out.push(
    `### Per day\n\n${mdTable(
      ['Day', 'Contributions'],
      p.perDay.map((x) => [x.day, x.contributions]),
    )}`,
  );
  out.push(
    `## Most discussed paragraphs\n\n${mdTable(
      ['Paragraph', 'Contributions', 'Amendments'],
      d.mostDiscussed.map((x) => [x.label, x.published, x.amendments]),
    )}`,
  );
  out.push(`## Paragraph by paragraph\n`);
  for (const para of d.paragraphs.filter((x) => x.published > 0)) {
    out.push(`### Paragraph ${para.label}\n`);
    out.push(
      `${para.byKind.comment} comments, ${para.byKind.amendment} amendments, ${para.byKind.reply} replies; ${para.endorsements} endorsements${
        Object.keys(para.endorsementsByGroup).length
          ? ` (${Object.entries(para.endorsementsByGroup)
              .map(([g, n]) => `${human(g)} ${n}`)
              .join(', ')})`
          : ''
      }.`,
    );
    if (Object.keys(para.dispositions).length)
      out.push(
        ` Dispositions: ${Object.entries(para.dispositions)
          .map(([k, n]) => `${human(k)} ${n}`)
          .join(', ')}.`,
      );
    out.push('\n');
    for (const k of para.clusters)
      out.push(`- Campaign (${k.status}): ${k.count} contributions like ${k.representative}.\n`);
    for (const a of para.amendments) {
      out.push(
        `- **${a.trackingNumber}**, ${a.author} (${a.organisation}, ${human(a.group)}), ${a.endorsements} endorsements${a.disposition ? `, ${human(a.disposition)}` : ''}: ${cell(a.comment)}\n${a.diff.length ? `  Proposed: ${mdDiff(a.diff)}\n` : ''}`,
      );
    }
    if (amendmentsNote(para)) out.push(`\n${amendmentsNote(para)}\n`);
    out.push('\n');
  }
  if (d.changes) {
    out.push(`## Changes from version ${d.changes.from} to ${d.changes.to}\n`);
    out.push(
      `${Object.entries(d.changes.summary)
        .filter(([, n]) => n)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}.\n`,
    );
    for (const c of d.changes.paragraphs) out.push(`- ${c.label} (${c.status})${c.ops ? `: ${mdDiff(c.ops)}` : ''}\n`);
    out.push('\n');
  }
  out.push(
    `## Resolution matrix\n\n${matrixNote(d) ? `${matrixNote(d)}\n\n` : ''}${mdTable(
      MATRIX_COLUMNS.map(([, h]) => h),
      d.matrix.map((row) => MATRIX_COLUMNS.map(([k]) => row[k])),
    )}`,
  );
  return out.join('\n');
}

export function toHtml(r: RenderedReport): string {
  const d = r.data;
  const p = d.participation;
  const charts = chartsSvg(d);
  const table = (headers: string[], rows: unknown[][]) =>
    rows.length
      ? `<table><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
      : '<p><em>None.</em></p>';
  const figure = (svg: string, caption: string) => `<figure>${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
  const paragraphs = d.paragraphs
    .filter((x) => x.published > 0)
    .map(
      (para) => `<section><h3>Paragraph ${esc(para.label)}</h3>
<p>${para.byKind.comment} comments, ${para.byKind.amendment} amendments, ${para.byKind.reply} replies; ${para.endorsements} endorsements.</p>
${para.clusters.map((k) => `<p>Campaign (${esc(k.status)}): ${k.count} contributions like ${esc(k.representative)}.</p>`).join('')}
${amendmentsNote(para) ? `<p class="meta">${esc(amendmentsNote(para))}</p>` : ''}
${para.amendments.map((a) => `<div class="amendment"><p><strong>${esc(a.trackingNumber)}</strong>, ${esc(a.author)} (${esc(a.organisation)}, ${esc(human(a.group))})${a.disposition ? `, ${esc(human(a.disposition))}` : ''}: ${esc(a.comment)}</p>${a.diff.length ? `<p class="diff">${htmlDiff(a.diff)}</p>` : ''}</div>`).join('')}
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title(r))}</title>
<style>body{font-family:Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}ins{background:#d7f5dd;text-decoration:none}del{background:#fbd9d9}figure{margin:1rem 0}figcaption{font-size:.85rem;color:#444}.meta{color:#444}.redactions{border:2px solid #b42318;padding:.5rem;background:#fff4f2}</style></head>
<body><h1>${esc(title(r))}</h1>
${redactionNote(r) ? `<p class="redactions" role="note"><strong>${esc(redactionNote(r))}</strong></p>` : ''}
<p class="meta">${provenance(r, { text: esc, code: (h) => `<code>${esc(h)}</code>` })}</p>
<h2>Participation</h2>
<p>${p.contributions} published contributions from ${p.contributors} contributors, of whom ${p.verifiedFocalPoints} verified focal points.</p>
${figure(charts.byGroup, 'Contributions by stakeholder group')}
${table(
  ['Group', 'Contributors', 'Contributions'],
  p.byGroup.map((g) => [human(g.key), g.contributors, g.contributions]),
)}
${figure(charts.byRegion, 'Contributions by regional group')}
${table(
  ['Regional group', 'Contributors', 'Contributions'],
  p.byRegion.map((g) => [human(g.key), g.contributors, g.contributions]),
)}
${table(
  ['Country', 'Contributors', 'Contributions'],
  p.byCountry.map((g) => [g.key, g.contributors, g.contributions]),
)}
${figure(charts.perDay, 'Contributions per day')}
<h2>Most discussed paragraphs</h2>
${figure(charts.heatMap, 'Published contributions per paragraph')}
${table(
  ['Paragraph', 'Contributions', 'Amendments'],
  d.mostDiscussed.map((x) => [x.label, x.published, x.amendments]),
)}
<h2>Paragraph by paragraph</h2>
${paragraphs}
${d.changes ? `<h2>Changes from version ${d.changes.from} to ${d.changes.to}</h2><ul>${d.changes.paragraphs.map((c) => `<li>${esc(c.label)} (${esc(c.status)})${c.ops ? `: ${htmlDiff(c.ops)}` : ''}</li>`).join('')}</ul>` : ''}
<h2>Resolution matrix</h2>
${matrixNote(d) ? `<p class="meta">${esc(matrixNote(d))}</p>` : ''}
${table(
  MATRIX_COLUMNS.map(([, h]) => h),
  d.matrix.map((row) => MATRIX_COLUMNS.map(([k]) => row[k])),
)}
</body></html>
`;
}

/**
 * The resolution matrix as CSV (UTF-8 with BOM). Every text cell goes through `csvSafe`, so a cell a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`...) is written with a leading `'`. When words were withheld, the first
 * line is the redactions note (one cell), then the header.
 */
export function toCsv(r: RenderedReport): string {
  const note = redactionNote(r) ? stringify([[csvSafe(redactionNote(r))]]) : '';
  const table = stringify(
    r.data.matrix.map((row) => csvSafeRow(MATRIX_COLUMNS.map(([k]) => row[k]))),
    { header: true, columns: MATRIX_COLUMNS.map(([, h]) => h) },
  );
  return `\uFEFF${note}${table}`;
}
