import { parentPort, workerData } from 'node:worker_threads';
import type { DraftJob, DraftJobResult } from './draft-job';
import type * as DocxModule from './docx-to-markdown';
import type * as InspectModule from './docx-inspect';
import { parseDraft } from './parse-draft';

/**
 * Runs in a worker thread, started by DraftReader for one draft and ended after it (or killed on its time or
 * memory limit). Whatever a hostile draft costs, it costs this thread, not the server's event loop.
 */
async function read(job: DraftJob): Promise<DraftJobResult> {
  let text: string;
  let format: 'markdown' | 'text';
  if (job.format === 'docx') {
    // Loaded only for Word files: mammoth and its dependencies triple a worker's start time.
    // A typed require (not import()): the build keeps import() as is, and CommonJS needs the file extension there.
    const { inspectDocx } = require('./docx-inspect') as typeof InspectModule;
    const buffer = Buffer.from(job.docx.buffer, job.docx.byteOffset, job.docx.byteLength);
    const refusal = await inspectDocx(buffer, job.limits);
    if (refusal) return { ok: false, refusal };
    const { docxToMarkdown } = require('./docx-to-markdown') as typeof DocxModule;
    try {
      text = await docxToMarkdown(buffer);
    } catch (e) {
      return {
        ok: false,
        refusal: {
          kind: 'docx-unreadable',
          why: e instanceof Error ? e.message.split('\n')[0].slice(0, 200) : 'unknown error',
        },
      };
    }
    format = 'markdown';
  } else {
    text = job.text;
    format = job.format;
  }
  const draft = parseDraft(text, format);
  const found = draft.report.numberedParagraphs + draft.report.preambleParagraphs + draft.report.subItems;
  // Refused here so that a huge result is never copied back to the server's thread.
  if (found > job.limits.maxParagraphs)
    return { ok: false, refusal: { kind: 'too-many-paragraphs', limit: job.limits.maxParagraphs, found } };
  return { ok: true, draft };
}

void read((workerData as { job: DraftJob }).job).then((result) => parentPort!.postMessage(result));
