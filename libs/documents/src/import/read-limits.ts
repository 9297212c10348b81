/**
 * What reading one untrusted draft may cost (issue 14). A draft is the one upload a chair sends that we parse
 * ourselves, so every dimension an attacker could inflate has a cap here, and docs/documents.md lists them.
 */
export interface DraftReadLimits {
  /** Bytes all parts of a .docx may unpack to, counted while inflating (headers can lie). */
  maxUnzippedBytes: number;
  /** Parts (zip entries) a .docx may hold. Word writes a few dozen. */
  maxEntries: number;
  /** Inflated bytes per compressed byte one part may reach; Word XML stays far below this, zip bombs far above. */
  maxEntryRatio: number;
  /** Bytes a part may inflate to before the ratio applies, so tiny, very regular parts are not refused. */
  ratioGraceBytes: number;
  /** Wall-clock time one read may take, from starting its worker to its answer. */
  timeoutMs: number;
  /** JavaScript heap of the worker that reads a draft. */
  maxHeapMb: number;
  /** Paragraphs one draft may have: real drafts have hundreds, every one becomes a row and a line on screen. */
  maxParagraphs: number;
  /** Reads running at once in this process; each costs a thread and up to maxHeapMb. */
  maxConcurrent: number;
  /** Reads waiting for a free worker; beyond that the request is refused with a Retry-After. */
  maxQueued: number;
}

export const DEFAULT_DRAFT_READ_LIMITS: DraftReadLimits = {
  maxUnzippedBytes: 50 * 1024 * 1024,
  maxEntries: 2000,
  maxEntryRatio: 100,
  // Apache POI's ZipSecureFile uses the same idea (a grace size, then a minimum inflate ratio of 1/100).
  ratioGraceBytes: 100 * 1024,
  timeoutMs: 10_000,
  maxHeapMb: 256,
  maxParagraphs: 20_000,
  maxConcurrent: 2,
  maxQueued: 8,
};
