import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PDFTOTEXT = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));

/**
 * Everything a person (or a script) could read in a response body, as one string to search: the raw bytes as UTF-8,
 * plus, for Word files, every XML part of the zip and the text of its runs joined up, and for PDF the text
 * `pdftotext` extracts, also with whitespace and hyphens removed (a marker a table cell wrapped over two lines, or
 * clipped at the page edge, still matches by its hyphen-free prefix).
 * `skipped` says why a format could not be read (no pdftotext here).
 */
export async function readableText(
  body: Buffer,
  contentType: string | undefined,
): Promise<{ text: string; skipped?: string }> {
  const raw = body.toString('utf8');
  const type = contentType ?? '';
  if (type.includes('wordprocessingml') || (body[0] === 0x50 && body[1] === 0x4b)) {
    const JSZip = require('jszip');
    const zip = await JSZip.loadAsync(body);
    const parts: string[] = [];
    for (const name of Object.keys(zip.files).sort()) {
      if (!/\.(xml|rels|txt|csv|json|svg)$/i.test(name)) continue;
      const xml: string = await zip.file(name).async('string');
      parts.push(xml, [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
    }
    return { text: [raw, ...parts].join('\n') };
  }
  if (type.includes('application/pdf') || raw.startsWith('%PDF')) {
    if (!PDFTOTEXT) return { text: raw, skipped: 'pdftotext is not installed (apt install poppler-utils)' };
    const dir = mkdtempSync(join(tmpdir(), 'redaction-pdf-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), body);
      const text = execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      // A long marker in a table cell wraps (pdftotext then drops the hyphen it broke at) or is clipped at the page
      // edge: the text is also given with whitespace and hyphens removed, for the hyphen-free marker prefixes.
      return { text: `${raw}\n${text}\n${text.replace(/[\s\u00ad-]+/g, '')}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { text: raw };
}
