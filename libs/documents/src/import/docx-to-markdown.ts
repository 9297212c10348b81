import { Parser } from 'htmlparser2';
import * as mammoth from 'mammoth';

/**
 * A Word draft as Markdown the draft parser understands. mammoth reads the .docx; Word's automatic
 * numbering is turned back into printed numbers (continuing across interruptions, as Word does), nested
 * lists into lettered sub-items, bold and italic into ** and *, footnotes into [^n] definitions.
 */
export async function docxToMarkdown(buffer: Buffer): Promise<string> {
  const { value: html } = await mammoth.convertToHtml({ buffer });
  const out: string[] = [];
  let line = '';
  const lists: { ordered: boolean; n: number }[] = [];
  let topCounter = 0;
  let inFootnotes = false;
  let footnoteId: string | null = null;
  let skipText = false;

  const flush = () => {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t) out.push(t, '');
    line = '';
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (/^h[1-6]$/.test(name)) {
          flush();
          line = `${'#'.repeat(Number(name[1]))} `;
        } else if (name === 'p') {
          if (!lists.length) flush();
        } else if (name === 'strong' || name === 'b') line += '**';
        else if (name === 'em' || name === 'i') line += '*';
        else if (name === 'ol' || name === 'ul') {
          lists.push({ ordered: name === 'ol', n: 0 });
        } else if (name === 'li') {
          flush();
          if (attrs.id?.startsWith('footnote-')) {
            inFootnotes = true;
            footnoteId = attrs.id.replace('footnote-', '');
            line = `[^${footnoteId}]: `;
            return;
          }
          const list = lists[lists.length - 1];
          list.n += 1;
          if (lists.length === 1) {
            if (list.ordered) topCounter += 1;
            line = list.ordered ? `${topCounter}. ` : '';
          } else {
            line = list.ordered ? `(${String.fromCharCode(96 + ((list.n - 1) % 26) + 1)}) ` : '';
          }
        } else if (name === 'a' && attrs.id?.startsWith('footnote-ref-')) {
          line += `[^${attrs.id.replace('footnote-ref-', '')}]`;
          skipText = true;
        } else if (name === 'a' && attrs.href?.startsWith('#footnote-ref-')) skipText = true;
        else if (name === 'br') line += ' ';
      },
      ontext(text) {
        if (!skipText) line += text;
      },
      onclosetag(name) {
        if (/^h[1-6]$/.test(name)) {
          flush();
        } else if (name === 'p') {
          if (!lists.length) flush();
          else line += ' ';
        } else if (name === 'strong' || name === 'b') line += '**';
        else if (name === 'em' || name === 'i') line += '*';
        else if (name === 'a') skipText = false;
        else if (name === 'li') {
          flush();
          if (inFootnotes) footnoteId = null;
        } else if (name === 'ol' || name === 'ul') {
          lists.pop();
          flush();
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flush();
  // Adjacent bold runs (Word splits runs freely) join into one.
  return storable(out.join('\n').replace(/\*\*\*\*/g, ''));
}

/**
 * What PostgreSQL can store: mammoth passes on `&#0;` and other control characters (which XML 1.0 forbids and
 * Word never writes) and lone surrogates from `&#xD800;`; a NUL made the import fail with a 500 (issue 14).
 * The JSON body is guarded the same way before it reaches us (core's body guards); a .docx is not JSON.
 */
function storable(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
