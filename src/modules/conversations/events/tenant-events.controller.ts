import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { Ctx, TenantRoute } from '../../../common/auth/route-access.js';
import type { TenantContext } from '../../../common/auth/roles.js';
import { AppError } from '../../../common/errors/app-error.js';
import { AppConfig } from '../../../config/app-config.js';
import { EventStream, TenantEventHub } from './tenant-event-hub.js';

/** Enough for a few browser tabs; each stream holds a socket on this instance. */
export const MAX_STREAMS_PER_MEMBER = 10;
// Tells EventSource how long to wait before reconnecting.
const RECONNECT_MS = 5000;

/** The staff inbox, live: what changes in the business's conversations as it happens. */
@ApiTags('events')
@Controller('v1/tenants/:tenantId/events')
export class TenantEventsController {
  constructor(
    private readonly hub: TenantEventHub,
    private readonly config: AppConfig,
  ) {}

  /**
   * Server-sent events, one per change: `event: <type>` and `data: <TenantEvent JSON>`.
   * Events carry ids only; read details through the API. There is no replay: a client
   * re-reads what it shows whenever it (re)connects.
   */
  @TenantRoute()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'A stream of `conversation.*` events, with a comment heartbeat every 15 s' })
  @Get()
  async stream(@Ctx() ctx: TenantContext, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (this.hub.closed)
      throw new AppError('unavailable', 'shutting_down', 'The server is restarting; reconnect shortly');
    if (this.hub.openStreams(ctx, ctx.userId) >= MAX_STREAMS_PER_MEMBER)
      throw new AppError('rate_limited', 'too_many_streams', `At most ${MAX_STREAMS_PER_MEMBER} open streams`, {}, 30);

    // From here on the response is ours, not Fastify's: no error may be thrown past this line.
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      // Headers hooks already set (CORS, security headers) would otherwise be lost with the hijack.
      ...definedHeaders(reply.getHeaders()),
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    response.flushHeaders();

    const stream = new EventStream(ctx.tenantId, ctx.userId, response);
    const { ready, detach } = this.hub.attach(stream);
    // Membership is checked when the stream opens. Ending it when an access token would
    // have expired makes the client come back through the guard, so a member who was
    // removed stops hearing the business within one token lifetime.
    const lifetime = setTimeout(() => stream.end(), this.config.auth.accessTokenTtlSeconds * 1000);
    response.on('close', () => {
      clearTimeout(lifetime);
      detach();
    });
    if (response.destroyed) detach();
    await ready;
    stream.write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
  }
}

function definedHeaders(headers: Record<string, number | string | string[] | undefined>): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined));
}
