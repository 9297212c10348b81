import { DomainError } from '@plenary/core';

export const AccountErrors = {
  emailTaken: () =>
    new DomainError('EMAIL_TAKEN', 409, 'An account with this email address already exists. Sign in instead.'),
  invalidCredentials: () =>
    new DomainError('INVALID_CREDENTIALS', 401, 'The email address or password is not correct.'),
  invalidRefreshToken: () =>
    new DomainError(
      'INVALID_REFRESH_TOKEN',
      401,
      'This session has ended or the refresh token is not valid. Sign in again.',
    ),
  invalidAccessToken: () =>
    new DomainError('INVALID_TOKEN', 401, 'Your access token is not valid or has expired. Sign in again.'),
  /** Same code and shape as every rate limit (clients back off on RATE_LIMITED), with words for sign-in. */
  tooManyFailedSignIns: (retryAfterSeconds: number) =>
    new DomainError(
      'RATE_LIMITED',
      429,
      `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
      { retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  suspended: () => new DomainError('ACCOUNT_SUSPENDED', 403, 'This account is suspended. Contact the secretariat.'),
  userNotFound: (id: string) => new DomainError('USER_NOT_FOUND', 404, `User ${id} does not exist.`),
  lastAdmin: () =>
    new DomainError(
      'LAST_ADMIN',
      409,
      'This is the only active administrator: make someone else an administrator first.',
    ),
  onBehalfOfPersonal: () =>
    new DomainError(
      'CAPACITY_MISMATCH',
      400,
      'Only accounts in a representative capacity can act on behalf of an organisation.',
    ),
};
