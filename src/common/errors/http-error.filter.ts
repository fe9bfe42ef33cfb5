import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response.js';

/** The one place errors become HTTP answers: `{ error: { code, message, details?, requestId } }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const response = toErrorResponse(error, String(request.id));
  if (response.unexpected) {
    logger.error({ err: error, requestId: request.id, route: request.routeOptions?.url }, 'unhandled error');
  }
  if (response.retryAfterSeconds !== undefined) void reply.header('retry-after', String(response.retryAfterSeconds));
  // A route may have declared another content type (plain text, PDF) before it failed.
  void reply.status(response.status).header('content-type', 'application/json; charset=utf-8').send(response.body);
}
