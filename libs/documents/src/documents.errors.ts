import { DomainError } from '@plenary/core';

export const DocumentErrors = {
  notFound: (id: string) => new DomainError('DOCUMENT_NOT_FOUND', 404, `Document ${id} does not exist.`),
  versionNotFound: (n: number) => new DomainError('VERSION_NOT_FOUND', 404, `Version ${n} of this document does not exist.`),
  paragraphNotFound: (id: string) => new DomainError('PARAGRAPH_NOT_FOUND', 404, `Paragraph ${id} is not in the current version.`),
  emptyImport: () =>
    new DomainError('EMPTY_DRAFT', 422, 'The draft has no paragraphs. Paste the text of the draft, or upload a .docx that contains it.'),
  badDocx: (why: string) =>
    new DomainError('UNREADABLE_DOCX', 422, `This file could not be read as a Word document (.docx): ${why}. Save it as .docx and try again.`),
  badBase64: () => new DomainError('VALIDATION_FAILED', 400, 'content must be the .docx file encoded as base64.', {
    fields: [{ field: 'content', problems: ['not base64'] }],
  }),
  badCorrection: (label: string) =>
    new DomainError('BAD_LINEAGE_CORRECTION', 422, `The lineage correction for paragraph ${label} names a paragraph that is not in the previous version.`),
  roundNotFound: (id: string) => new DomainError('ROUND_NOT_FOUND', 404, `Round ${id} does not exist.`),
  roundOverlap: (number: number) =>
    new DomainError('ROUND_OVERLAP', 409, `This window overlaps round R${number} on the same document: only one round may be open at a time.`),
  roundWindow: (message: string) => new DomainError('BAD_ROUND_WINDOW', 422, message),
  roundClosed: (number: number) => new DomainError('ROUND_CLOSED', 409, `Round R${number} is already closed.`),
};
