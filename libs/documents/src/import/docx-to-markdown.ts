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
  return out.join('\n').replace(/\*\*\*\*/g, '');
}

/** A .docx is a ZIP archive: refuse anything else before handing it to mammoth. */
export function looksLikeDocx(buffer: Buffer): boolean {
  return buffer.length > 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04;
}
