import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { WebchatChannels } from './webchat-channels.service.js';

export type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

const WEBCHAT_ROUTE = /^\/v1\/webchat\/([^/?#]+)(?:[/?#]|$)/;
const CLOSED: CorsOptions = { origin: false };

/**
 * CORS options decided per request. The web chat routes are called from the businesses' own
 * sites, so each channel admits exactly the origins its business listed — and a site listed
 * for one channel gets nothing from another. Every other route keeps the configured origins.
 * A lookup that fails closes the door rather than opening it.
 */
export function webchatAwareCors(channels: WebchatChannels, otherRoutes: CorsOptions): CorsOptions {
  return {
    delegator: (request: FastifyRequest, callback: (error: Error | null, options?: CorsOptions) => void): void => {
      const match = WEBCHAT_ROUTE.exec(request.url);
      if (!match) return callback(null, otherRoutes);
      const origin = request.headers.origin;
      // Not a browser (or a same-origin request): there is no header to add.
      if (!origin) return callback(null, CLOSED);
      channels.allowedOrigins(match[1]).then(
        (allowed) => callback(null, allowed.includes(origin) ? webchatCors(origin) : CLOSED),
        () => callback(null, CLOSED),
      );
    },
  };
}

function webchatCors(origin: string): CorsOptions {
  return {
    origin,
    methods: ['GET', 'POST'],
    // The session token travels in Authorization, never in a cookie: no credentials mode.
    allowedHeaders: ['authorization', 'content-type'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  };
}
