import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA, type RouteAccess } from '../../src/common/auth/route-access.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Every HTTP route with the access it declares, read from the running application. */
function inventory(): { route: string; access: string }[] {
  const reflector = t.app.get(Reflector);
  const scanner = t.app.get(MetadataScanner);
  const routes: { route: string; access: string }[] = [];
  for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = instance[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const path = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
      const targets = [handler, wrapper.metatype] as (() => unknown)[];
      const access = reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, targets);
      const described = !access
        ? 'UNDECLARED'
        : access.kind === 'tenant'
          ? `tenant:${access.roles.join('|')}`
          : access.kind;
      routes.push({
        route: `${RequestMethod[method]} ${`/${base}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')}`,
        access: described,
      });
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

describe('route inventory', () => {
  it('has every route declare who may call it', () => {
    const routes = inventory();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => r.access === 'UNDECLARED')).toEqual([]);
  });

  it('guards every tenant route by membership, and opens only webhooks, Meta callbacks, web chat, public invoice links, auth, health and metrics', () => {
    const routes = inventory();
    for (const { route, access } of routes.filter((r) => r.route.includes('/v1/tenants/:tenantId'))) {
      expect({ route, tenant: access.startsWith('tenant:') }).toEqual({ route, tenant: true });
    }
    const open = routes.filter((r) => r.access === 'public').map((r) => r.route);
    for (const route of open)
      expect(route).toMatch(
        /^\w+ \/(v1\/webhooks\/|v1\/webchat\/|v1\/public\/invoices\/|v1\/meta\/|v1\/auth\/(signup|login|refresh|logout)$|health\/|metrics$)/,
      );
  });
});
