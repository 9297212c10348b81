import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { DomainError } from '@plenary/core';
import { DocumentErrors } from '../documents.errors';
import type { DraftJob, DraftJobResult, DraftRefusal } from './draft-job';
import type { ParsedDraft } from './parse-draft';
import { DEFAULT_DRAFT_READ_LIMITS, DraftReadLimits } from './read-limits';
import { WORKER_BOOTSTRAP, workerEntry } from './worker-entry';

/** Overrides of the default limits (tests, a tighter deployment). */
export const DRAFT_READ_LIMITS = Symbol('DRAFT_READ_LIMITS');

export type DraftFormat = 'markdown' | 'text' | 'docx';

/**
 * Reads an untrusted draft (text, Markdown, or a .docx as base64) into paragraphs in a worker thread with a
 * memory limit and a wall-clock timeout, at most `maxConcurrent` at a time. Call it only after the caller is
 * known to be allowed to import: reading is the expensive part. Every way a read can fail is a 4xx.
 */
@Injectable()
export class DraftReader implements OnModuleDestroy {
  private readonly logger = new Logger(DraftReader.name);
  readonly limits: DraftReadLimits;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly workers = new Set<Worker>();

  constructor(@Optional() @Inject(DRAFT_READ_LIMITS) limits?: Partial<DraftReadLimits>) {
    this.limits = { ...DEFAULT_DRAFT_READ_LIMITS, ...limits };
  }

  async read(format: DraftFormat, content: string): Promise<ParsedDraft> {
    const job = this.job(format, content);
    const release = await this.slot();
    try {
      const result = await this.run(job);
      if (!result.ok) throw refusalError(result.refusal);
      return result.draft;
    } finally {
      release();
    }
  }

  onModuleDestroy(): void {
    for (const w of this.workers) void w.terminate();
  }

  /** Cheap checks on the main thread (linear, no decompression), so an obviously wrong upload starts no worker. */
  private job(format: DraftFormat, content: string): DraftJob {
    const limits = this.limits;
    if (format !== 'docx') return { format, text: content, limits };
    const b64 = content.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw DocumentErrors.badBase64();
    const docx = Buffer.from(b64, 'base64');
    if (!looksLikeDocx(docx)) throw DocumentErrors.badDocx('it is not a .docx (ZIP) file');
    return { format, docx, limits };
  }

  /** A place among the running reads, or in the bounded queue; resolves to the function that gives it back. */
  private async slot(): Promise<() => void> {
    if (this.running < this.limits.maxConcurrent) this.running += 1;
    else if (this.waiting.length < this.limits.maxQueued) await new Promise<void>((ok) => this.waiting.push(ok));
    else throw DocumentErrors.importBusy(Math.max(1, Math.ceil(this.limits.timeoutMs / 2000)));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    };
  }

  private run(job: DraftJob): Promise<DraftJobResult> {
    const { entry, swc } = workerEntry();
    // The buffer is copied, not transferred: a small Buffer shares Node's pool, which must not be detached.
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: { entry, swc, job },
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb },
    });
    this.workers.add(worker);
    return new Promise<DraftJobResult>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.workers.delete(worker);
        void worker.terminate();
        fn();
      };
      const timer = setTimeout(
        () => settle(() => reject(DocumentErrors.draftTooSlow(this.limits.timeoutMs))),
        this.limits.timeoutMs,
      );
      worker.once('message', (result: DraftJobResult) => settle(() => resolve(result)));
      worker.once('error', (e: Error & { code?: string }) =>
        settle(() => {
          if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') return reject(DocumentErrors.draftTooBig(this.limits.maxHeapMb));
          this.logger.warn(`reading a draft failed in its worker: ${e.stack ?? e.message}`);
          reject(DocumentErrors.draftUnreadable());
        }),
      );
      worker.once('exit', (code) =>
        settle(() => {
          this.logger.warn(`the draft worker exited with code ${code} before answering`);
          reject(DocumentErrors.draftUnreadable());
        }),
      );
    });
  }
}

/**
 * A .docx is a ZIP archive: anything else is refused before a worker starts. Checked here rather than imported
 * from the converter, so the server's thread never loads mammoth at all.
 */
function looksLikeDocx(buffer: Buffer): boolean {
  return buffer.length > 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04;
}

function refusalError(r: DraftRefusal): DomainError {
  switch (r.kind) {
    case 'docx-too-large':
      return DocumentErrors.docxTooLarge(r.limitBytes);
    case 'docx-too-many-parts':
      return DocumentErrors.docxTooManyParts(r.limit);
    case 'docx-compression':
      return DocumentErrors.docxSuspiciousCompression(r.part, r.limitRatio);
    case 'docx-unreadable':
      return DocumentErrors.badDocx(r.why);
    case 'too-many-paragraphs':
      return DocumentErrors.tooManyParagraphs(r.found, r.limit);
  }
}
