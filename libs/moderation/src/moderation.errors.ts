import { DomainError } from '@plenary/core';

export const ModerationErrors = {
  contributionNotFound: (id: string) =>
    new DomainError('CONTRIBUTION_NOT_FOUND', 404, `Contribution ${id} does not exist.`),
  badTransition: (action: string, status: string) =>
    new DomainError('BAD_DECISION', 409, `A ${status} contribution cannot be given "${action}".`, { action, status }),
  otherConsultation: (id: string) =>
    new DomainError('OTHER_CONSULTATION', 422, `Contribution ${id} belongs to another consultation.`),
  alreadyFlagged: () => new DomainError('ALREADY_FLAGGED', 409, 'You have already flagged this contribution.'),
  ownContribution: () => new DomainError('OWN_CONTRIBUTION', 422, 'You cannot flag your own contribution.'),
  clusterNotFound: (id: string) => new DomainError('CLUSTER_NOT_FOUND', 404, `Cluster ${id} does not exist.`),
  clusterClosed: (status: string) => new DomainError('CLUSTER_CLOSED', 409, `This cluster is ${status}.`),
  notMembers: (ids: string[]) =>
    new DomainError('NOT_IN_CLUSTER', 422, `Not members of this cluster: ${ids.join(', ')}.`),
  notDisposable: (status: string) =>
    new DomainError(
      'NOT_DISPOSABLE',
      409,
      `A ${status} contribution gets no disposition (moderate it first, or it was withdrawn).`,
    ),
  badResultingParagraph: () =>
    new DomainError(
      'BAD_RESULTING_PARAGRAPH',
      422,
      'resultingParagraphId must be a paragraph of a later version of the same document.',
    ),
};
