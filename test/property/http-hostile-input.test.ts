import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { WebchatSessionGuard } from '../../src/modules/channels/webchat/webchat-session.guard.js';
import { startFakeGraphApi } from '../fakes/fake-graph-api.js';
import { startFakePaystack } from '../fakes/fake-paystack.js';
import { asOwner } from '../support/as-owner.js';
import { startTestApp } from '../support/test-app.js';
import { buildHostileScene, type HostileScene } from './hostile-scene.js';
import { hostileInputs, SPECIALISED, type HostileInput, type Signing } from './hostile-requests.js';
import { routesTakingInput, type InputRoute } from './http-routes.js';
import { PROPERTY_RUNS } from './property-runs.js';
import { rawHttp } from './raw-http.js';

/*
 * Every route that takes a body or a query gets PROPERTY_RUNS hostile inputs through the whole
 * Fastify and Nest pipeline (guards, pipes, services, the database), as an owner of a real
 * business with real ids in the path. No answer may be a 5xx, and every refusal carries a
 * stable error code. Webhooks and Meta's callbacks are signed correctly most of the time, so
 * that their parsers, not only their signature checks, are what the fuzz meets.
 */

const graph = await startFakeGraphApi();
const paystack = await startFakePaystack();
// The fuzz is about parsing, not about the per-address limits, which would otherwise turn
// most of it into 429s before a parser is reached.
const t = await startTestApp({
  META_GRAPH_BASE_URL: graph.url,
  PAYSTACK_BASE_URL: paystack.url,
  RATE_LIMIT_PER_MINUTE: '100000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
});
// A privacy request may erase the customer other routes' fuzz aims at: it runs after them.
const RUNS_LAST = new Set(['POST /v1/tenants/:tenantId/privacy-requests']);
const routes = routesTakingInput(t.app).sort((a, b) => Number(RUNS_LAST.has(a.key)) - Number(RUNS_LAST.has(b.key)));
const http = rawHttp(t.url);

const ERROR_CODE = /^[a-z][a-z0-9_]*$/;
const ROUTE_TIMEOUT_MS = 180_000;

let scene: HostileScene;
let signing: Signing;
let ids: string[];

beforeAll(async () => {
  scene = await buildHostileScene(t, graph, paystack);
  const { main, webhooks, callbacks } = scene;
  signing = {
    metaAppSecret: t.config.meta.appSecret,
    metaVerifyToken: t.config.meta.verifyToken,
    metaAccounts: { whatsapp: [webhooks.whatsapp!.phoneNumberId], instagram: [webhooks.instagram!.accountId] },
    metaUserIds: [callbacks.whatsapp!.phoneNumberId, callbacks.instagram!.accountId, callbacks.instagramCustomerId],
    paystackKey: webhooks.paystackKey,
  };
  ids = [
    main.owner.userId,
    main.staff.userId,
    main.contactId,
    main.conversationId,
    main.orderId,
    main.webchatChannelId,
    main.whatsapp!.channelId,
    ...main.products.map((product) => product.id),
  ];
}, 120_000);

afterAll(async () => {
  http.close();
  await t.close();
  await graph.close();
  await paystack.close();
});

/** Deleting a business happens to a business of its own; Paystack's webhook names the one with a key. */
function tenantFor(route: InputRoute): string {
  if (route.key.startsWith('POST /v1/webhooks/paystack/')) return scene.webhooks.owner.tenantId;
  return route.method === 'DELETE' ? scene.scratch.tenantId : scene.main.owner.tenantId;
}

function pathFor(route: InputRoute): string {
  const { main } = scene;
  const values: Record<string, string> = {
    tenantId: tenantFor(route),
    channelId: route.path.startsWith('/v1/webchat/') ? main.webchatChannelId : main.whatsapp!.channelId,
    userId: main.staff.userId,
    contactId: main.contactId,
    conversationId: main.conversationId,
    orderId: main.orderId,
    productId: main.products[1].id,
    requestId: main.privacyRequestId,
    queue: 'inbound',
  };
  return route.path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? randomUUID());
}

const isWebchatRoute = (route: InputRoute) => route.guards.includes(WebchatSessionGuard);

/** A web chat allows 30 messages a minute per session: a fresh one every 25 keeps the fuzz past that limit. */
const webchatSession = { token: '', uses: 0 };

async function credentialsFor(route: InputRoute): Promise<Record<string, string>> {
  if (isWebchatRoute(route)) {
    if (!webchatSession.token || webchatSession.uses >= 25) {
      const opened = await http.send('POST', `/v1/webchat/${scene.main.webchatChannelId}/sessions`, {});
      Object.assign(webchatSession, {
        token: (JSON.parse(opened.body) as { sessionToken: string }).sessionToken,
        uses: 0,
      });
    }
    webchatSession.uses++;
    return { authorization: `Bearer ${webchatSession.token}` };
  }
  if (route.access === 'platform_admin') return scene.platformAdmin;
  if (route.access === 'public' || route.access === 'undeclared') return {};
  return route.method === 'DELETE' ? scene.scratch.auth : scene.main.owner.auth;
}

/**
 * A long-poll with a valid `wait` answers 200 after up to 25 seconds of nothing: correct, and
 * far too slow for a thousand runs. Such a wait becomes 0; every other value is sent as made.
 */
function withoutLongPoll(route: InputRoute, query: string): string {
  if (!isWebchatRoute(route) || route.method !== 'GET') return query;
  const params = new URLSearchParams(query);
  const waits = params.getAll('wait');
  if (!waits.some((wait) => Number(wait) > 0 && Number(wait) <= 25)) return query;
  params.delete('wait');
  params.append('wait', '0');
  return params.toString();
}

async function send(route: InputRoute, input: HostileInput) {
  const query = withoutLongPoll(route, input.query);
  const contentType = input.body?.contentType;
  const headers = {
    ...(await credentialsFor(route)),
    ...(contentType === undefined ? {} : { 'content-type': contentType }),
    ...input.headers,
  };
  return http.send(route.method, `${pathFor(route)}${query ? `?${query}` : ''}`, headers, input.body?.payload);
}

/** Below 500 always; a refusal in the API's one error shape, with a code a client can branch on. */
function expectHandled(status: number, body: string): void {
  if (status >= 500) throw new Error(`answered ${status}: ${body.slice(0, 300)}`);
  if (status < 400) return;
  let code: unknown;
  try {
    code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
  } catch {
    code = undefined;
  }
  if (typeof code !== 'string' || !ERROR_CODE.test(code)) {
    throw new Error(`answered ${status} without an error code: ${body.slice(0, 300)}`);
  }
}

describe('hostile input over HTTP', () => {
  it('finds every route that takes input, the webhooks and Meta callbacks among them', () => {
    const keys = routes.map((route) => route.key);
    expect(keys.length).toBeGreaterThan(40);
    for (const key of Object.keys(SPECIALISED)) expect(keys).toContain(key);
  });

  it.each(routes.map((route) => [route.key, route] as const))(
    '%s answers any input below 500, and refuses with an error code',
    async (_key, route) => {
      const property = fc.asyncProperty(hostileInputs(route, signing, { ids }), async (input) => {
        const response = await send(route, input);
        expectHandled(response.status, response.body);
      });
      await fc.assert(property, PROPERTY_RUNS);
    },
    ROUTE_TIMEOUT_MS,
  );
});

/** Polls until `done` holds, for up to `timeoutMs`. */
async function eventually(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
}

describe('what the fuzz delivered through the Meta webhook and the web chat', () => {
  it('is processed, every message, without one set aside as failing', async () => {
    const tenantIds = [scene.webhooks.owner.tenantId, scene.main.owner.tenantId];
    const unprocessed = async () =>
      (
        await asOwner<{ n: number }[]>(
          t,
          'SELECT count(*)::int AS n FROM inbox_messages WHERE tenant_id = ANY($1) AND processed_at IS NULL',
          [tenantIds],
        )
      )[0].n;
    await eventually(async () => (await unprocessed()) === 0, 90_000);
    const failed = await asOwner<{ content: unknown; lastError: string }[]>(
      t,
      'SELECT content, last_error AS "lastError" FROM inbox_messages WHERE tenant_id = ANY($1) AND failed_at IS NOT NULL',
      [tenantIds],
    );
    expect({ unprocessed: await unprocessed(), failed }).toEqual({ unprocessed: 0, failed: [] });
  }, 120_000);
});
