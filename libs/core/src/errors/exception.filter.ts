import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CommonErrors, DomainError } from './domain-error';

/** Error codes of pg that mean "the database is not there", not "the query was wrong". */
const UNAVAILABLE_PG_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

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
  const e = err as BodyReadError | undefined;
  // body-parser errors arrive as plain errors carrying a `type`.
  if (e?.type === 'entity.too.large') return CommonErrors.payloadTooLarge(formatBytes(e.limit ?? 0));
  if (e?.type === 'entity.parse.failed') return CommonErrors.malformedBody('The request body is not valid JSON.');
  if (e?.type === 'entity.verify.failed')
    return CommonErrors.malformedBody(e.message ?? 'The request body was refused.');
  if (e?.type === 'encoding.unsupported')
    return CommonErrors.unsupportedMediaType(
      `The request body is sent with Content-Encoding "${printableHeader(e.encoding)}", which this server does not decode. Send it uncompressed, or compressed with gzip, deflate or br.`,
    );
  if (e?.type === 'charset.unsupported')
    return CommonErrors.unsupportedMediaType(
      `The request body's charset "${printableHeader(e.charset)}" is not supported. Send it as UTF-8.`,
    );
  // A body that does not decompress as its Content-Encoding says: zlib's error, which body-parser marks 400.
  if (typeof e?.code === 'string' && e.code.startsWith('Z_'))
    return CommonErrors.malformedBody(
      `The request body could not be decompressed as its Content-Encoding header says (${e.message ?? e.code}). Send it uncompressed, or compressed with the encoding the header names.`,
    );
  if (clientHttpError(e)) {
    // Other failures while reading the body (raw-body's `request.*`), or routing's own (a parameter that does not decode).
    if (e.type?.startsWith('request.'))
      return CommonErrors.malformedBody(`The request body could not be read: ${e.message}.`);
    return new DomainError(httpCode(e.status), e.status, e.message);
  }
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

/** What body-parser, raw-body, zlib and http-errors put on the errors they raise. */
interface BodyReadError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  limit?: number;
  message?: string;
  code?: string;
  encoding?: unknown;
  charset?: unknown;
}

/** An http-errors error meant for the client (4xx, `expose`): its status and message are fit to answer with. */
function clientHttpError(e: BodyReadError | undefined): e is BodyReadError & { status: number; message: string } {
  return (
    !!e &&
    e.expose === true &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500 &&
    typeof e.message === 'string'
  );
}

/** A header value quoted back in a message: short and printable. */
function printableHeader(value: unknown): string {
  const s = String(value ?? '').slice(0, 40);
  return s.replace(/[^\x20-\x7e]|"/g, '?');
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
