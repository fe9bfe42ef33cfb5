import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ChannelRouter } from './channel-router.service.js';

type Row = { tenant_id: string; channel_id: string };

/** A stand-in for Postgres: a table of routes, a query counter and an optional gate that holds the next answer. */
function fakeRoutes() {
  const state = { queries: 0, table: new Map<string, Row>(), gate: undefined as Promise<void> | undefined };
  const dataSource = {
    query: async (_sql: string, [provider, externalId]: [string, string]) => {
      state.queries++;
      // Read now: a held answer is stale by the time it arrives, as a slow query's would be.
      const row = state.table.get(`${provider}:${externalId}`);
      const gate = state.gate;
      state.gate = undefined;
      if (gate) await gate;
      return row ? [row] : [];
    },
  } as unknown as DataSource;
  return { state, dataSource };
}

const tenantA = {
  tenant_id: '11111111-1111-4111-8111-111111111111',
  channel_id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
};
const tenantB = {
  tenant_id: '22222222-2222-4222-8222-222222222222',
  channel_id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
};
const asTarget = (row: Row) => ({ tenantId: row.tenant_id, channelId: row.channel_id });

describe('ChannelRouter', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('answers a connected account from the cache for 30 seconds', async () => {
    const { state, dataSource } = fakeRoutes();
    state.table.set('whatsapp:123', tenantA);
    const router = new ChannelRouter(dataSource);

    expect(await router.resolve('whatsapp', '123')).toEqual(asTarget(tenantA));
    jest.advanceTimersByTime(29_000);
    expect(await router.resolve('whatsapp', '123')).toEqual(asTarget(tenantA));
    expect(state.queries).toBe(1);
    jest.advanceTimersByTime(1_000);
    await router.resolve('whatsapp', '123');
    expect(state.queries).toBe(2);
  });

  it('remembers an unknown account for 5 seconds only', async () => {
    const { state, dataSource } = fakeRoutes();
    const router = new ChannelRouter(dataSource);

    expect(await router.resolve('instagram', '999')).toBeUndefined();
    state.table.set('instagram:999', tenantA);
    expect(await router.resolve('instagram', '999')).toBeUndefined();
    jest.advanceTimersByTime(5_000);
    expect(await router.resolve('instagram', '999')).toEqual(asTarget(tenantA));
    expect(state.queries).toBe(2);
  });

  it('keeps providers apart and never queries for an id the schema cannot hold', async () => {
    const { state, dataSource } = fakeRoutes();
    state.table.set('whatsapp:123', tenantA);
    const router = new ChannelRouter(dataSource);

    expect(await router.resolve('instagram', '123')).toBeUndefined();
    expect(await router.resolve('whatsapp', '')).toBeUndefined();
    expect(await router.resolve('whatsapp', '1'.repeat(65))).toBeUndefined();
    expect(state.queries).toBe(1);
  });

  it('answers a burst of lookups for one account with one query', async () => {
    const { state, dataSource } = fakeRoutes();
    state.table.set('whatsapp:123', tenantA);
    const router = new ChannelRouter(dataSource);

    const answers = await Promise.all(Array.from({ length: 20 }, () => router.resolve('whatsapp', '123')));
    expect(answers).toEqual(Array(20).fill(asTarget(tenantA)));
    expect(state.queries).toBe(1);
  });

  it('forgets an account when invalidated, even while a lookup of it is under way', async () => {
    const { state, dataSource } = fakeRoutes();
    state.table.set('whatsapp:123', tenantA);
    const router = new ChannelRouter(dataSource);
    // The number moves to tenant B while a lookup that read the old route is still running.
    let release!: () => void;
    state.gate = new Promise<void>((resolve) => (release = resolve));
    const stale = router.resolve('whatsapp', '123');
    state.table.set('whatsapp:123', tenantB);
    router.invalidate('whatsapp', '123');
    release();
    expect(await stale).toEqual(asTarget(tenantA));

    expect(await router.resolve('whatsapp', '123')).toEqual(asTarget(tenantB));
    expect(state.queries).toBe(2);
  });
});
