import { DomainError } from '@plenary/core';

export const ConsultationErrors = {
  notFound: (id: string) => new DomainError('CONSULTATION_NOT_FOUND', 404, `Consultation ${id} does not exist.`),
  codeTaken: (code: string) =>
    new DomainError('CODE_TAKEN', 409, `Another consultation already uses the code ${code}.`),
  notChair: () =>
    new DomainError('NOT_CHAIR', 403, 'Only a chair of this consultation (or an administrator) can do this.'),
  notModerator: () =>
    new DomainError(
      'NOT_MODERATOR',
      403,
      'Only a moderator or chair of this consultation (or an administrator) can do this.',
    ),
  userNotFound: (id: string) => new DomainError('USER_NOT_FOUND', 404, `User ${id} does not exist.`),
  noAccountFor: (email: string) =>
    new DomainError(
      'USER_NOT_FOUND',
      404,
      `No account signs in with ${email}: ask them to register first, then add them.`,
    ),
  notMember: (userId: string) => new DomainError('NOT_MEMBER', 404, `User ${userId} has no role in this consultation.`),
  lastChair: () =>
    new DomainError('LAST_CHAIR', 409, 'This is the last chair of the consultation: add another chair first.'),
  badTransition: (from: string, to: string) =>
    new DomainError('BAD_STATUS_CHANGE', 409, `A consultation cannot go from ${from} to ${to}.`, { from, to }),
};
