import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ROLES, type AuthUser, type Role, type TenantContext } from './roles.js';

export const ACCESS_METADATA = 'hawker:access';

/**
 * How a route is reached. Deny by default: a route without one of these decorators
 * answers only to a signed-in user, and the route-inventory test lists them all.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'optional_user' }
  | { kind: 'user' }
  | { kind: 'tenant'; roles: readonly Role[] }
  | { kind: 'platform_admin' };

/** No caller identity: webhooks and public links, which verify their own signature or token. */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies RouteAccess);

/** Anyone, with the user attached when a valid access token is presented. */
export const OptionalUser = () =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'optional_user' } satisfies RouteAccess), ApiBearerAuth());

/** A signed-in user, no tenant involved (`/v1/me`, TOTP setup). */
export const UserRoute = () =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'user' } satisfies RouteAccess), ApiBearerAuth());

/**
 * A route under `/v1/tenants/:tenantId`: JWT, then membership of that tenant (404 when
 * none, so a tenant's existence is never revealed), then one of `roles` (403).
 */
export const TenantRoute = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'tenant', roles: roles.length ? roles : ROLES } satisfies RouteAccess),
    ApiBearerAuth(),
    ApiParam({ name: 'tenantId', format: 'uuid' }),
  );

/** Operators of the platform, listed in `PLATFORM_ADMIN_EMAILS`. */
export const PlatformAdminRoute = () =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'platform_admin' } satisfies RouteAccess), ApiBearerAuth());

export interface AuthenticatedRequest extends FastifyRequest {
  authUser?: AuthUser;
  tenantContext?: TenantContext;
}

/** The tenant context the guard built. Throws when there is none: never a silent fallback. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): TenantContext => {
  const ctx = context.switchToHttp().getRequest<AuthenticatedRequest>().tenantContext;
  if (!ctx) throw new Error('@Ctx() used on a route without @TenantRoute()');
  return ctx;
});

/** The signed-in user. Throws on a route that does not require one. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().authUser;
  if (!user) throw new Error('@CurrentUser() used on a route without an authenticated user');
  return user;
});

/** The signed-in user when there is one (routes marked `@OptionalUser()`). */
export const MaybeUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().authUser,
);

/** Where a request came from, for the audit log. */
export interface RequestOrigin {
  ip: string;
  userAgent?: string;
}

export const Origin = createParamDecorator((_: unknown, context: ExecutionContext): RequestOrigin => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: userAgent ? userAgent.slice(0, 512) : undefined };
});

export const ALLOWED_WHILE_PENDING_DELETION = 'hawker:allowed-while-pending-deletion';

/**
 * Marks a tenant route that still works while the business waits for deletion: reading
 * and restoring it, and taking one's data out (exports, the audit log) before it is gone.
 */
export const AllowedWhilePendingDeletion = () => SetMetadata(ALLOWED_WHILE_PENDING_DELETION, true);
