import { jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { BreakerOpenError, TenantBreakers } from './breakers.js';
import { LlmError, type LlmErrorKind } from './llm-client.js';

const RESET_MS = 150;

describe('TenantBreakers', () => {
  let breakers: TenantBreakers;

  beforeEach(() => {
    breakers = new TenantBreakers({ resetTimeoutMs: RESET_MS });
  });

  afterEach(() => breakers.close());

  const fail = (kind: LlmErrorKind) => () => Promise.reject(new LlmError(kind, `failed: ${kind}`));
  const failTimes = async (tenantId: string, times: number, kind: LlmErrorKind = 'timeout') => {
    for (let i = 0; i < times; i++) await expect(breakers.run(tenantId, fail(kind))).rejects.toThrow(LlmError);
  };

  it('passes results and errors through while closed', async () => {
    await expect(breakers.run('t1', () => Promise.resolve(42))).resolves.toBe(42);
    await expect(breakers.run('t1', fail('unavailable'))).rejects.toMatchObject({ kind: 'unavailable' });
    expect(breakers.isOpen('t1')).toBe(false);
  });

  it('stays closed below the volume threshold', async () => {
    await failTimes('t1', 2);

    expect(breakers.isOpen('t1')).toBe(false);
  });

  it.each<LlmErrorKind>(['timeout', 'rate_limited', 'unavailable', 'malformed'])(
    'opens after three %s failures and then refuses without calling',
    async (kind) => {
      await failTimes('t1', 3, kind);
      const fn = jest.fn(() => Promise.resolve('never'));

      expect(breakers.isOpen('t1')).toBe(true);
      await expect(breakers.run('t1', fn)).rejects.toBeInstanceOf(BreakerOpenError);
      expect(fn).not.toHaveBeenCalled();
    },
  );

  it('does not count rejected requests or errors that are not the provider’s', async () => {
    await failTimes('t1', 5, 'rejected');
    for (let i = 0; i < 3; i++) {
      await expect(breakers.run('t1', () => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
    }

    expect(breakers.isOpen('t1')).toBe(false);
  });

  it('stays closed while at most half the calls fail', async () => {
    for (let i = 0; i < 3; i++) {
      await breakers.run('t1', () => Promise.resolve('ok'));
      await expect(breakers.run('t1', fail('timeout'))).rejects.toThrow(LlmError);
    }

    expect(breakers.isOpen('t1')).toBe(false);
  });

  it('keeps tenants apart', async () => {
    await failTimes('t1', 3);

    expect(breakers.isOpen('t1')).toBe(true);
    expect(breakers.isOpen('t2')).toBe(false);
    await expect(breakers.run('t2', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('lets one trial through after the reset timeout, and closes when it succeeds', async () => {
    await failTimes('t1', 3);
    await sleep(RESET_MS + 50);

    expect(breakers.isOpen('t1')).toBe(false);
    let finishTrial!: (value: string) => void;
    const trial = breakers.run('t1', () => new Promise<string>((resolve) => (finishTrial = resolve)));
    // While the trial is in flight, everyone else still gets the fallback.
    expect(breakers.isOpen('t1')).toBe(true);
    await expect(breakers.run('t1', () => Promise.resolve('second'))).rejects.toBeInstanceOf(BreakerOpenError);

    finishTrial('trial');
    await expect(trial).resolves.toBe('trial');
    expect(breakers.isOpen('t1')).toBe(false);
    await expect(breakers.run('t1', () => Promise.resolve('after'))).resolves.toBe('after');
  });

  it('opens again when the trial fails', async () => {
    await failTimes('t1', 3);
    await sleep(RESET_MS + 50);

    await expect(breakers.run('t1', fail('unavailable'))).rejects.toThrow(LlmError);

    expect(breakers.isOpen('t1')).toBe(true);
    await expect(breakers.run('t1', () => Promise.resolve('x'))).rejects.toBeInstanceOf(BreakerOpenError);
  });

  it('forgets the least recently used tenant beyond its bound', async () => {
    const bounded = new TenantBreakers({ resetTimeoutMs: RESET_MS, maxTenants: 2 });
    try {
      for (const tenant of ['a', 'b']) {
        for (let i = 0; i < 3; i++) await expect(bounded.run(tenant, fail('timeout'))).rejects.toThrow(LlmError);
      }
      // "a" was used before "b", so a third tenant evicts "a".
      await bounded.run('c', () => Promise.resolve('ok'));

      expect(bounded.isOpen('a')).toBe(false);
      expect(bounded.isOpen('b')).toBe(true);
    } finally {
      bounded.close();
    }
  });
});
