import type { Readable } from 'node:stream';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import type { DraftJob, DraftRefusal } from './draft-job';

type ZipLimits = DraftJob['limits'];

/**
 * Unpacks every part of a .docx once, counting the bytes that actually come out, and stops at the first limit
 * passed: too many parts, too many bytes in all, or a part that inflates more than `maxEntryRatio` times its
 * packed size. Only a file that passes goes on to mammoth, which would otherwise inflate a 400 kB zip bomb
 * into gigabytes. The headers' sizes refuse early, but are never trusted to let a file through: yauzl also
 * checks them (validateEntrySizes), and the counts below are of real output.
 */
export function inspectDocx(buffer: Buffer, limits: ZipLimits): Promise<DraftRefusal | null> {
  return new Promise((resolve) => {
    fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return resolve({ kind: 'docx-unreadable', why: reason(err) });
      new Inspection(zip, limits, resolve).start();
    });
  });
}

class Inspection {
  private total = 0;
  private entries = 0;
  private done = false;

  constructor(
    private readonly zip: ZipFile,
    private readonly limits: ZipLimits,
    private readonly answer: (r: DraftRefusal | null) => void,
  ) {}

  start(): void {
    if (this.zip.entryCount > this.limits.maxEntries)
      return this.finish({ kind: 'docx-too-many-parts', limit: this.limits.maxEntries });
    this.zip.on('entry', (e: Entry) => this.entry(e));
    this.zip.on('end', () => this.finish(null));
    this.zip.on('error', (e: unknown) => this.finish({ kind: 'docx-unreadable', why: reason(e) }));
    this.zip.readEntry();
  }

  private entry(e: Entry): void {
    if (++this.entries > this.limits.maxEntries)
      return this.finish({ kind: 'docx-too-many-parts', limit: this.limits.maxEntries });
    if (e.fileName.endsWith('/')) return this.zip.readEntry();
    const refusal = this.check(e, e.uncompressedSize, this.total + e.uncompressedSize);
    if (refusal) return this.finish(refusal);
    this.zip.openReadStream(e, (err, stream) => {
      if (err || !stream) return this.finish({ kind: 'docx-unreadable', why: reason(err) });
      this.count(e, stream);
    });
  }

  private count(e: Entry, stream: Readable): void {
    let inflated = 0;
    stream.on('data', (chunk: Buffer) => {
      inflated += chunk.length;
      this.total += chunk.length;
      const refusal = this.check(e, inflated, this.total);
      if (refusal) {
        stream.destroy();
        this.finish(refusal);
      }
    });
    stream.on('error', (err: unknown) => this.finish({ kind: 'docx-unreadable', why: reason(err) }));
    stream.on('end', () => {
      if (!this.done) this.zip.readEntry();
    });
  }

  private check(e: Entry, inflated: number, total: number): DraftRefusal | null {
    if (total > this.limits.maxUnzippedBytes)
      return { kind: 'docx-too-large', limitBytes: this.limits.maxUnzippedBytes };
    if (
      inflated > this.limits.ratioGraceBytes &&
      inflated > this.limits.maxEntryRatio * Math.max(1, e.compressedSize)
    ) {
      return { kind: 'docx-compression', part: e.fileName.slice(0, 100), limitRatio: this.limits.maxEntryRatio };
    }
    return null;
  }

  private finish(r: DraftRefusal | null): void {
    if (this.done) return;
    this.done = true;
    this.zip.close();
    this.answer(r);
  }
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0].slice(0, 200) : 'it is not a valid ZIP archive';
}
