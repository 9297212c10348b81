import type { ParsedDraft } from './parse-draft';
import type { DraftReadLimits } from './read-limits';

/**
 * The messages between the server and the worker that reads a draft. Plain data only (structured clone), and
 * no domain errors: the worker loads nothing but the parser and its own libraries, so it starts fast and the
 * same file runs under jest and from dist. The server turns a refusal into the domain error a chair reads.
 */
export type DraftJob = ({ format: 'markdown' | 'text'; text: string } | { format: 'docx'; docx: Uint8Array }) & {
  limits: Pick<
    DraftReadLimits,
    'maxUnzippedBytes' | 'maxEntries' | 'maxEntryRatio' | 'ratioGraceBytes' | 'maxParagraphs'
  >;
};

export type DraftRefusal =
  | { kind: 'docx-too-large'; limitBytes: number }
  | { kind: 'docx-too-many-parts'; limit: number }
  | { kind: 'docx-compression'; part: string; limitRatio: number }
  | { kind: 'docx-unreadable'; why: string }
  | { kind: 'too-many-paragraphs'; limit: number; found: number };

export type DraftJobResult = { ok: true; draft: ParsedDraft } | { ok: false; refusal: DraftRefusal };
