import { DomainError } from '@plenary/core';

const when = (d: Date) =>
  d
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, ' UTC');

export const ContributionErrors = {
  notFound: (id: string) => new DomainError('CONTRIBUTION_NOT_FOUND', 404, `Contribution ${id} does not exist.`),
  paragraphNotFound: (id: string) => new DomainError('PARAGRAPH_NOT_FOUND', 404, `Paragraph ${id} does not exist.`),
  roundClosed: (round: string, closedAt: Date) =>
    new DomainError(
      'ROUND_CLOSED',
      409,
      `Round ${round} closed on ${when(closedAt)}; contributions are no longer accepted.`,
      {
        round,
        closedAt: closedAt.toISOString(),
      },
    ),
  roundNotYetOpen: (round: string, opensAt: Date) =>
    new DomainError(
      'ROUND_NOT_OPEN',
      409,
      `Round ${round} opens on ${when(opensAt)}; contributions are accepted from then.`,
      {
        round,
        opensAt: opensAt.toISOString(),
      },
    ),
  noRound: () =>
    new DomainError('NO_OPEN_ROUND', 409, 'No round for comment is scheduled on this version of the document.'),
  consultationNotOpen: (status: string) =>
    new DomainError('CONSULTATION_NOT_OPEN', 409, `This consultation is ${status}; it does not accept contributions.`),
  proposedTextRequired: () =>
    new DomainError(
      'VALIDATION_FAILED',
      400,
      'proposedText: an amendment needs the proposed wording of the paragraph.',
      {
        fields: [{ field: 'proposedText', problems: ['required for an amendment'] }],
      },
    ),
  proposedTextNotAllowed: () =>
    new DomainError('VALIDATION_FAILED', 400, 'proposedText: only an amendment carries proposed wording.', {
      fields: [{ field: 'proposedText', problems: ['only for kind amendment'] }],
    }),
  amendmentNeedsParagraph: () =>
    new DomainError(
      'AMENDMENT_NEEDS_PARAGRAPH',
      422,
      'Proposed wording replaces a paragraph: submit an amendment on the paragraph itself.',
    ),
  parentRequired: () =>
    new DomainError('VALIDATION_FAILED', 400, 'parentId: a reply needs the id of the contribution it answers.', {
      fields: [{ field: 'parentId', problems: ['required for a reply'] }],
    }),
  parentNotAllowed: () =>
    new DomainError('VALIDATION_FAILED', 400, 'parentId: only a reply has a parent.', {
      fields: [{ field: 'parentId', problems: ['only for kind reply'] }],
    }),
  badParent: () =>
    new DomainError(
      'BAD_PARENT',
      422,
      'A reply must answer a visible contribution on the same paragraph (or, for general comments, the same document).',
    ),
  notRepresentative: () =>
    new DomainError(
      'NOT_REPRESENTATIVE',
      422,
      'onBehalfOf is only for accounts whose capacity is representative. Change your capacity in your profile, or leave onBehalfOf out.',
    ),
  idempotencyMismatch: () =>
    new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      422,
      'This Idempotency-Key was already used with a different request in the last 24 hours. Use a new key for a new contribution.',
    ),
  badIdempotencyKey: () =>
    new DomainError('VALIDATION_FAILED', 400, 'Idempotency-Key must be 1 to 200 visible ASCII characters.', {
      fields: [{ field: 'Idempotency-Key', problems: ['1 to 200 visible ASCII characters'] }],
    }),
  notAuthor: () => new DomainError('NOT_AUTHOR', 403, 'Only the author may edit or withdraw a contribution.'),
  notEditable: (status: string) =>
    new DomainError('NOT_EDITABLE', 409, `This contribution is ${status} and can no longer be changed.`),
  nothingToEdit: () =>
    new DomainError('VALIDATION_FAILED', 400, 'Send at least one of body, proposedText, onBehalfOf.'),
  ownContribution: () => new DomainError('OWN_CONTRIBUTION', 422, 'You cannot endorse your own contribution.'),
  alreadyEndorsed: () => new DomainError('ALREADY_ENDORSED', 409, 'You have already endorsed this contribution.'),
  notEndorsed: () => new DomainError('NOT_ENDORSED', 404, 'You have not endorsed this contribution.'),
  notPublished: () => new DomainError('NOT_PUBLISHED', 409, 'Only published contributions can be endorsed.'),
  badCursor: () =>
    new DomainError('VALIDATION_FAILED', 400, 'cursor is not one this server gave out; start again without it.', {
      fields: [{ field: 'cursor', problems: ['unknown cursor'] }],
    }),
};
