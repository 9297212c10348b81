/**
 * Every error a client can cause is a DomainError with a stable code. One exception filter maps it
 * to `{ error: { code, message, details } }` and the status below, so no client-caused failure is a 500.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown> | unknown[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Codes shared by every domain; each lib adds its own in `<domain>.errors.ts`. */
export const CommonErrors = {
  validation: (message: string, details?: DomainError['details']) =>
    new DomainError('VALIDATION_FAILED', 400, message, details),
  malformedBody: (message: string) => new DomainError('MALFORMED_BODY', 400, message),
  unauthenticated: (message = 'Sign in to do this.') => new DomainError('UNAUTHENTICATED', 401, message),
  forbidden: (message = 'You are not allowed to do this.') => new DomainError('FORBIDDEN', 403, message),
  notFound: (what: string, id?: string) =>
    new DomainError('NOT_FOUND', 404, id ? `${what} ${id} does not exist.` : `${what} does not exist.`),
  routeNotFound: (method: string, path: string) =>
    new DomainError('ROUTE_NOT_FOUND', 404, `There is no ${method} ${path}.`),
  conflict: (message: string, details?: DomainError['details']) => new DomainError('CONFLICT', 409, message, details),
  payloadTooLarge: (limit: string) =>
    new DomainError('PAYLOAD_TOO_LARGE', 413, `The request body is larger than the ${limit} limit.`),
  unsupportedMediaType: (message: string) => new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, message),
  rateLimited: (retryAfterSeconds: number) =>
    new DomainError(
      'RATE_LIMITED',
      429,
      `Too many requests. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
      { retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  unavailable: (message = 'The database is not reachable right now. Try again in a few seconds.') =>
    new DomainError('SERVICE_UNAVAILABLE', 503, message, undefined, { 'Retry-After': '5' }),
};
