import { CommonErrors, DomainError } from '@plenary/core';

/** The error codes of reports. */
export const ReportErrors = {
  notFound: (id: string) => new DomainError('REPORT_NOT_FOUND', 404, `Report ${id} does not exist.`),
  noDocument: () =>
    new DomainError(
      'NO_ROUND',
      422,
      'This consultation has no round yet: open a round on a document before reporting on it.',
    ),
  roundNotFound: (id: string) =>
    new DomainError('ROUND_NOT_FOUND', 404, `Round ${id} is not part of this consultation.`),
  originalNeedsSignIn: () =>
    CommonErrors.unauthenticated(
      'Sign in as a chair, moderator or administrator of this consultation to read a report as it was stored.',
    ),
  originalForbidden: () =>
    new DomainError(
      'REPORT_ORIGINAL_FORBIDDEN',
      403,
      "Only the consultation's chairs, moderators and administrators may read a report as it was stored; everyone else reads it under today's visibility policy (GET /api/reports/:id).",
    ),
};
