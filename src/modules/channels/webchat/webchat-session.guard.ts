import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebchatChannels } from './webchat-channels.service.js';
import { type WebchatSession, WebchatSessions } from './webchat-sessions.service.js';
import { WebchatErrors } from './webchat.errors.js';

interface WebchatRequest extends FastifyRequest {
  webchatSession?: WebchatSession;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/**
 * The web chat's own authentication, on routes that are otherwise public: the channel in the
 * path must be connected (404 otherwise) and the bearer token must be a session of that very
 * channel (401 `invalid_session` otherwise).
 */
@Injectable()
export class WebchatSessionGuard implements CanActivate {
  constructor(
    private readonly channels: WebchatChannels,
    private readonly sessions: WebchatSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WebchatRequest>();
    const channelId = (request.params as Record<string, string | undefined>).channelId ?? '';
    const channel = await this.channels.find(channelId);
    if (!channel) throw WebchatErrors.channelNotFound();
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const session = token ? await this.sessions.authenticate(channel, token) : undefined;
    if (!session) throw WebchatErrors.invalidSession();
    request.webchatSession = session;
    return true;
  }
}

/** The session WebchatSessionGuard authenticated. Throws on a route without the guard. */
export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): WebchatSession => {
  const session = context.switchToHttp().getRequest<WebchatRequest>().webchatSession;
  if (!session) throw new Error('@CurrentSession() used on a route without WebchatSessionGuard');
  return session;
});

/** Aborted when the client goes away (or the response ends), so a long-poll stops waiting for nobody. */
export const ClientGone = createParamDecorator((_: unknown, context: ExecutionContext): AbortSignal => {
  const reply = context.switchToHttp().getResponse<FastifyReply>();
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
});
