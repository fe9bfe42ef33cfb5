import { RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA, type RouteAccess } from '../../src/common/auth/route-access.js';
import { isDto, type DtoClass } from './dto-shapes.js';

/** A route that reads what a caller sends: a body, a query, or the raw request (webhooks). */
export interface InputRoute {
  /** `POST /v1/tenants/:tenantId/products`, as the route inventory names it. */
  key: string;
  method: string;
  path: string;
  access: RouteAccess['kind'] | 'undeclared';
  /** The handler reads a body: through `@Body()`, or from the raw request it takes. */
  takesBody: boolean;
  takesQuery: boolean;
  /** The DTO class the validation pipe checks the body or query against, when the handler names one. */
  bodyDto?: DtoClass;
  queryDto?: DtoClass;
  /** Guards declared on the handler or its controller, beyond the global ones. */
  guards: readonly unknown[];
}

interface RouteArgument {
  index: number;
}

/**
 * Every route of the running application that takes input, read from Nest's own metadata
 * (as the route inventory test does), so a route added tomorrow is fuzzed without anyone
 * listing it here.
 */
export function routesTakingInput(app: NestFastifyApplication): InputRoute[] {
  const reflector = app.get(Reflector);
  const scanner = app.get(MetadataScanner);
  const routes: InputRoute[] = [];
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!instance || !controller) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = instance[name] as () => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const path = `/${base}/${String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')}`
        .replace(/\/+/g, '/')
        .replace(/(.)\/$/, '$1');
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, RouteArgument>;
      const types = (Reflect.getMetadata('design:paramtypes', prototype, name) ?? []) as unknown[];
      const argument = (type: RouteParamtypes) =>
        args[Object.keys(args).find((key) => key.startsWith(`${type}:`)) ?? ''];
      const dtoOf = (type: RouteParamtypes) => {
        const found = argument(type);
        const candidate = found ? types[found.index] : undefined;
        return isDto(candidate) ? candidate : undefined;
      };
      const verb = RequestMethod[method];
      const readsRequest = argument(RouteParamtypes.REQUEST) !== undefined && verb !== 'GET';
      const takesBody = argument(RouteParamtypes.BODY) !== undefined || readsRequest;
      const takesQuery = argument(RouteParamtypes.QUERY) !== undefined;
      if (!takesBody && !takesQuery) continue;
      const access = reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [handler, controller]);
      routes.push({
        key: `${verb} ${path}`,
        method: verb,
        path,
        access: access?.kind ?? 'undeclared',
        takesBody,
        takesQuery,
        bodyDto: dtoOf(RouteParamtypes.BODY),
        queryDto: dtoOf(RouteParamtypes.QUERY),
        guards: [
          ...((Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[]),
          ...((Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as unknown[]),
        ],
      });
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}
