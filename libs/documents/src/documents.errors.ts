import { DomainError } from '@plenary/core';

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

export const DocumentErrors = {
  notFound: (id: string) => new DomainError('DOCUMENT_NOT_FOUND', 404, `Document ${id} does not exist.`),
  versionNotFound: (n: number) =>
    new DomainError('VERSION_NOT_FOUND', 404, `Version ${n} of this document does not exist.`),
  paragraphNotFound: (id: string) =>
    new DomainError('PARAGRAPH_NOT_FOUND', 404, `Paragraph ${id} is not in the current version.`),
  emptyImport: () =>
    new DomainError(
      'EMPTY_DRAFT',
      422,
      'The draft has no paragraphs. Paste the text of the draft, or upload a .docx that contains it.',
    ),
  badDocx: (why: string) =>
    new DomainError(
      'UNREADABLE_DOCX',
      422,
      `This file could not be read as a Word document (.docx): ${why}. Save it as .docx and try again.`,
    ),
  // Reading a draft is bounded (issue 14): each limit has its own code, and a message a chair can act on.
  docxTooLarge: (limitBytes: number) =>
    new DomainError(
      'DOCX_TOO_LARGE',
      413,
      `This Word file unpacks to more than ${mb(limitBytes)} MB, far more than the text of a draft needs. Remove embedded images, videos or attached files (or paste the text of the draft instead) and try again.`,
      { limitBytes },
    ),
  docxTooManyParts: (limit: number) =>
    new DomainError(
      'DOCX_TOO_MANY_PARTS',
      422,
      `This Word file is made of more than ${limit} parts, far more than a draft has. Copy its text into a new Word document, save that as .docx and upload it.`,
      { limit },
    ),
  docxSuspiciousCompression: (part: string, limitRatio: number) =>
    new DomainError(
      'DOCX_SUSPICIOUS_COMPRESSION',
      422,
      `Part "${part}" of this Word file unpacks to more than ${limitRatio} times its packed size, which Word documents never do (it is how "zip bombs" are built). Open the file in Word, save it again as .docx and upload that, or paste the text instead.`,
      { part, limitRatio },
    ),
  draftTooSlow: (limitMs: number) =>
    new DomainError(
      'DRAFT_READ_TIMEOUT',
      422,
      `This draft took too long to read (more than ${limitMs / 1000} seconds), so reading it was stopped and nothing was stored. Check it for very long lines or long runs of spaces or symbols, or split it into smaller documents, and try again.`,
      { limitMs },
    ),
  draftTooBig: (limitMb: number) =>
    new DomainError(
      'DRAFT_READ_MEMORY',
      413,
      `Reading this draft needed more than ${limitMb} MB of memory, so it was stopped and nothing was stored. Split the draft into smaller documents, or remove embedded images and objects, and try again.`,
      { limitMb },
    ),
  tooManyParagraphs: (found: number, limit: number) =>
    new DomainError(
      'DRAFT_TOO_MANY_PARAGRAPHS',
      413,
      `This draft has ${found} paragraphs; a document may have at most ${limit}. Split it into several documents and try again.`,
      { found, limit },
    ),
  draftUnreadable: () =>
    new DomainError(
      'UNREADABLE_DRAFT',
      422,
      'This draft could not be read. Check that it is plain text, Markdown or a .docx file, and try again.',
    ),
  importBusy: (retryAfterSeconds: number) =>
    new DomainError(
      'IMPORT_BUSY',
      429,
      `The server is reading other drafts right now. Try again in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  badBase64: () =>
    new DomainError('VALIDATION_FAILED', 400, 'content must be the .docx file encoded as base64.', {
      fields: [{ field: 'content', problems: ['not base64'] }],
    }),
  badCorrection: (label: string) =>
    new DomainError(
      'BAD_LINEAGE_CORRECTION',
      422,
      `The lineage correction for paragraph ${label} names a paragraph that is not in the previous version.`,
    ),
  roundNotFound: (id: string) => new DomainError('ROUND_NOT_FOUND', 404, `Round ${id} does not exist.`),
  roundOverlap: (number: number) =>
    new DomainError(
      'ROUND_OVERLAP',
      409,
      `This window overlaps round R${number} on the same document: only one round may be open at a time.`,
    ),
  roundWindow: (message: string) => new DomainError('BAD_ROUND_WINDOW', 422, message),
  roundClosed: (number: number) => new DomainError('ROUND_CLOSED', 409, `Round R${number} is already closed.`),
};
