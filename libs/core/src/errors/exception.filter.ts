import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CommonErrors, DomainError } from './domain-error';

/** Error codes of pg that mean "the database is not there", not "the query was wrong". */
const UNAVAILABLE_PG_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string; driverError?: unknown } | undefined;
  if (!e) return false;
  if (e.driverError && isDatabaseUnavailable(e.driverError)) return true;
  if (e.code && (UNAVAILABLE_PG_CODES.has(e.code) || UNAVAILABLE_NODE_CODES.has(e.code))) return true;
  const m = e.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed|Cannot use a pool after calling end/i.test(
    m,
  );
}

/** Maps anything thrown to `{ error: { code, message, details } }`. */
export function toDomainError(err: unknown, req?: Pick<Request, 'method' | 'path'>): DomainError {
  if (err instanceof DomainError) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; limit?: number; message?: string };
  // body-parser errors arrive as plain errors carrying a `type`.
  if (e?.type === 'entity.too.large') return CommonErrors.payloadTooLarge(formatBytes(e.limit ?? 0));
  if (e?.type === 'entity.parse.failed') return CommonErrors.malformedBody('The request body is not valid JSON.');
  if (e?.type === 'entity.verify.failed') return CommonErrors.malformedBody(e.message ?? 'The request body was refused.');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return CommonErrors.unsupportedMediaType(e.message ?? 'Unsupported encoding.');
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404 && req) return CommonErrors.routeNotFound(req.method, req.path);
    if (status === 429) return CommonErrors.rateLimited(60);
    const body = err.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: string }).message ?? err.message);
    return new DomainError(httpCode(status), status, String(message));
  }
  if (isDatabaseUnavailable(err)) return CommonErrors.unavailable();
  return new DomainError('INTERNAL', 500, 'Something went wrong on our side. The error has been logged.');
}

function httpCode(status: number): string {
  const names: Record<number, string> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    422: 'UNPROCESSABLE',
    429: 'RATE_LIMITED',
    503: 'SERVICE_UNAVAILABLE',
  };
  return names[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round(n / 1024 / 1024)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} bytes`;
}

export function errorBody(err: DomainError) {
  return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
}

@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    let err = toDomainError(exception, req);
    if (err.code === 'RATE_LIMITED' && !(exception instanceof DomainError)) {
      // The throttler leaves its own `Retry-After-<name>` header; answer with the standard one.
      const found = Object.entries(res.getHeaders()).find(([k]) => k.toLowerCase().startsWith('retry-after'));
      err = CommonErrors.rateLimited(Math.max(1, Math.ceil(Number(found?.[1]) || 60)));
    }
    if (err.status >= 500) this.logger.error({ err: exception, path: req.path }, err.code);
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
    res.status(err.status).json(errorBody(err));
  }
}
