import { HttpException } from '@nestjs/common';
import { AppError } from './app-error.js';
import { statusOf } from './error-status.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  retryAfterSeconds?: number;
  /** True when the error was not expected: it is logged with its stack, never shown. */
  unexpected: boolean;
}

// Fastify answers its own parsing failures before a route runs; give them our codes.
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Unsupported content type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_body', message: 'Body must not be empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_body', message: 'Body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'malformed_body', message: 'Invalid content length' },
};

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  const answer = (status: number, code: string, message: string, details?: Record<string, unknown>) => ({
    status,
    body: { error: { code, message, ...(details ? { details } : {}), requestId } },
    unexpected: false,
  });
  if (error instanceof AppError) {
    return {
      ...answer(statusOf(error.kind), error.code, error.message, error.details),
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (isUnstorableText(error)) {
    // Logged as unexpected all the same: the text may have come from a provider, not the client.
    return {
      ...answer(
        400,
        'invalid_text',
        'The request holds a character that cannot be stored (NUL or half a surrogate pair)',
      ),
      unexpected: true,
    };
  }
  // Nest wraps Fastify's own errors (body parsing, size limits) in an HttpException.
  const fastify = fastifyErrorOf(error instanceof HttpException ? (error.cause ?? error) : error);
  if (fastify) return answer(fastify.status, fastify.code, fastify.message);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      const code = HTTP_CODES[status] ?? 'bad_request';
      return answer(status, code, status === 429 ? 'Too many requests, try again later' : messageOf(error));
    }
  }
  return { ...answer(500, 'internal_error', 'Something went wrong on our side'), unexpected: true };
}

/**
 * Postgres refuses NUL in text, and NUL or half a surrogate pair in json. Valid JSON carries
 * both, and no validator looks for them, so such text reaches the database from the request
 * itself: the client's mistake to answer with 400, not ours with 500.
 */
function isUnstorableText(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  if (code === '22021' || code === '22P05') return true;
  return code === '22P02' && typeof detail === 'string' && /surrogate/i.test(detail);
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'object' && response && 'message' in response && typeof response.message === 'string') {
    return response.message;
  }
  return error.message;
}

function fastifyErrorOf(error: unknown): { status: number; code: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && FASTIFY_CODES[code]) return FASTIFY_CODES[code];
  // JSON.parse failures from the content-type parser carry only a 400 status.
  if (error instanceof SyntaxError && statusCode === 400) return FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, code: HTTP_CODES[statusCode] ?? 'bad_request', message: 'Bad request' };
  }
  return undefined;
}
