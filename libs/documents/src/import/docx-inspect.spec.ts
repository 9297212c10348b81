/**
 * Issue 14: a .docx is unpacked with limits before mammoth sees it. A 400 kB file whose word/document.xml inflates
 * to 300 MB used to cost 46 s and 3.8 GB; here it is refused after reading its headers or a few kB of output.
 */
import { randomBytes } from 'node:crypto';
import { Document, Packer, Paragraph } from 'docx';
import { inspectDocx } from './docx-inspect';
import { DEFAULT_DRAFT_READ_LIMITS as LIMITS } from './read-limits';
import { buildZip, docxBomb, docxWith, wordParagraph } from './testing/zip';

jest.setTimeout(60_000);

describe('inspectDocx', () => {
  it('lets a Word document through', async () => {
    const doc = new Document({ sections: [{ children: [new Paragraph('1. Promote meaningful connectivity.')] }] });
    expect(await inspectDocx(await Packer.toBuffer(doc), LIMITS)).toBeNull();
    expect(await inspectDocx(await docxWith(wordParagraph('1. A paragraph of text.'), 100), LIMITS)).toBeNull();
  });

  it('refuses the 300 MB bomb (honest headers) as too large', async () => {
    const bomb = await docxBomb(300);
    expect(bomb.length).toBeLessThan(400 * 1024);
    expect(await inspectDocx(bomb, LIMITS)).toEqual({ kind: 'docx-too-large', limitBytes: LIMITS.maxUnzippedBytes });
  });

  it('refuses the bomb when its headers claim it is small: the bytes that come out are what counts', async () => {
    const refusal = await inspectDocx(await docxBomb(300, { claimUncompressed: 1000 }), LIMITS);
    expect(refusal?.kind).toBe('docx-unreadable');
  });

  it('refuses a part that inflates more than 100:1 even when the whole stays under 50 MB', async () => {
    expect(await inspectDocx(await docxBomb(20), LIMITS)).toEqual({
      kind: 'docx-compression',
      part: 'word/document.xml',
      limitRatio: 100,
    });
  });

  it('refuses parts that each look fine but together unpack to more than the limit', async () => {
    // Random bytes do not compress: each part is under the ratio, all six together are 1.5 MB.
    const zip = await buildZip(
      Array.from({ length: 6 }, (_, i) => ({ name: `word/media/image${i}.bin`, chunk: randomBytes(256 * 1024) })),
    );
    expect(await inspectDocx(zip, LIMITS)).toBeNull();
    expect(await inspectDocx(zip, { ...LIMITS, maxUnzippedBytes: 1024 * 1024 })).toEqual({
      kind: 'docx-too-large',
      limitBytes: 1024 * 1024,
    });
  });

  it('refuses more than 2,000 parts', async () => {
    const zip = await buildZip(Array.from({ length: 2001 }, (_, i) => ({ name: `p/${i}.xml`, head: '<x/>' })));
    expect(await inspectDocx(zip, LIMITS)).toEqual({ kind: 'docx-too-many-parts', limit: 2000 });
  });

  it('says why a broken archive cannot be read', async () => {
    const zip = await docxWith(wordParagraph('x'), 10);
    expect(await inspectDocx(zip.subarray(0, zip.length - 30), LIMITS)).toMatchObject({
      kind: 'docx-unreadable',
      why: expect.any(String),
    });
  });
});
