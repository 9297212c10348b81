/**
 * Issue 14: drafts are read in a worker thread with limits, so a hostile one costs the worker, never the event
 * loop. These run the worker from the TypeScript sources (the bootstrap compiles them with @swc/core); the
 * embedded-server test and bench/hostile-import run it from dist.
 */
import { Document, Packer, Paragraph } from 'docx';
import { DomainError } from '@plenary/core';
import { DraftReader } from './draft-reader';
import { parseDraft } from './parse-draft';
import { docxBomb, docxWith, wordParagraph } from './testing/zip';

jest.setTimeout(60_000);

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  const d = e as DomainError;
  return { code: d.code, status: d.status, message: d.message, headers: d.headers };
};

describe('DraftReader', () => {
  const reader = new DraftReader();
  afterAll(() => reader.onModuleDestroy());

  it('reads text and Markdown in a worker, exactly as the parser does', async () => {
    const draft = '# Draft\n\n## Principles\n\n1. One[^1].\n\n(a) first;\n\n[^1]: A note.\n\n2. Two.';
    expect(await reader.read('markdown', draft)).toEqual(parseDraft(draft, 'markdown'));
    expect(await reader.read('text', '1. One.\n\n2. Two.')).toEqual(parseDraft('1. One.\n\n2. Two.', 'text'));
  });

  it('reads a .docx in a worker', async () => {
    const doc = new Document({
      sections: [
        { children: [new Paragraph('1. Promote meaningful connectivity.'), new Paragraph('2. Review progress.')] },
      ],
    });
    const d = await reader.read('docx', (await Packer.toBuffer(doc)).toString('base64'));
    expect(d.sections.flatMap((s) => s.paragraphs).map((p) => p.text)).toEqual([
      'Promote meaningful connectivity.',
      'Review progress.',
    ]);
  });

  it('drops from a .docx what text cannot hold: NUL and other control characters, lone surrogates', async () => {
    const docx = await docxWith(wordParagraph('1. a&#0;b&#1;c&#xD800;d'), 1);
    const d = await reader.read('docx', docx.toString('base64'));
    expect(d.sections[0].paragraphs[0].text).toBe('abc\uFFFDd');
  });

  it("reads the participant's pathological draft of issue 14 in the worker", async () => {
    const d = await reader.read('text', `1.${' '.repeat(160_000)}x`);
    expect(d.sections[0].paragraphs).toEqual([{ label: '1', kind: 'numbered', text: 'x', footnotes: [] }]);
  });

  it('refuses the 300 MB docx bomb with 413 and a message a chair can act on', async () => {
    const r = await refusal(reader.read('docx', (await docxBomb(300)).toString('base64')));
    expect(r).toMatchObject({ code: 'DOCX_TOO_LARGE', status: 413 });
    expect(r.message).toMatch(/more than 50 MB.*Remove embedded images/);
  });

  it('refuses a part packed more than 100:1 with 422', async () => {
    const r = await refusal(reader.read('docx', (await docxBomb(20)).toString('base64')));
    expect(r).toMatchObject({ code: 'DOCX_SUSPICIOUS_COMPRESSION', status: 422 });
    expect(r.message).toMatch(/word\/document\.xml.*100 times/);
  });

  it('refuses bad base64 and a file that is not a zip before starting a worker', async () => {
    expect(await refusal(reader.read('docx', '%%%'))).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(await refusal(reader.read('docx', Buffer.from('plain text').toString('base64')))).toMatchObject({
      code: 'UNREADABLE_DOCX',
      status: 422,
    });
  });

  it('ends a read that takes longer than its time limit: 422, and the reader goes on working', async () => {
    const slow = new DraftReader({ timeoutMs: 1 });
    const r = await refusal(slow.read('text', '1. One.'));
    expect(r).toMatchObject({ code: 'DRAFT_READ_TIMEOUT', status: 422 });
    expect(r.message).toMatch(/took too long to read/);
    expect((await reader.read('text', '1. One.')).sections).toHaveLength(1);
  });

  it('ends a read that needs more memory than its limit: 413, and the server process lives on', async () => {
    const small = new DraftReader({ maxHeapMb: 16, timeoutMs: 30_000 });
    const huge = '1. A paragraph that is read into many objects.\n\n'.repeat(200_000);
    const r = await refusal(small.read('text', huge));
    expect(r).toMatchObject({ code: 'DRAFT_READ_MEMORY', status: 413 });
    expect((await small.read('text', '1. One.')).sections).toHaveLength(1);
  });

  it('refuses a draft with more paragraphs than a document may have', async () => {
    const capped = new DraftReader({ maxParagraphs: 5 });
    const r = await refusal(capped.read('text', '1. a\n\n2. b\n\n3. c\n\n4. d\n\n5. e\n\n6. f'));
    expect(r).toMatchObject({ code: 'DRAFT_TOO_MANY_PARAGRAPHS', status: 413 });
    expect((await capped.read('text', '1. a\n\n2. b')).sections[0].paragraphs).toHaveLength(2);
  });

  it('reads at most maxConcurrent drafts at once, queues a few, and refuses the rest with 429 and Retry-After', async () => {
    const one = new DraftReader({ maxConcurrent: 1, maxQueued: 1 });
    const docx = (await docxWith(wordParagraph('1. Queued.'), 1)).toString('base64');
    const results = await Promise.allSettled([one.read('docx', docx), one.read('docx', docx), one.read('docx', docx)]);
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const busy = (results[2] as PromiseRejectedResult).reason as DomainError;
    expect(busy).toMatchObject({ code: 'IMPORT_BUSY', status: 429 });
    expect(busy.headers?.['Retry-After']).toMatch(/^\d+$/);
    // The slots came back: the next read runs.
    expect((await one.read('text', '1. Later.')).sections).toHaveLength(1);
  });
});
