import { afterCommit, TenantDb, withSavepoint } from '../../src/database/tenant-db.js';
import { signUp } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tenantDb: TenantDb;
beforeAll(async () => {
  t = await startTestApp();
  tenantDb = t.app.get(TenantDb);
});
afterAll(() => t.close());

describe('after-commit tasks', () => {
  it('run once the transaction commits, and not for work a savepoint or the transaction rolled back', async () => {
    const { tenantId } = await signUp(t);
    const ran: string[] = [];
    await tenantDb.run({ tenantId }, async (tx) => {
      afterCommit(tx, async () => void ran.push('kept'));
      await withSavepoint(tx, 'attempt', async () => {
        afterCommit(tx, async () => void ran.push('rolled back'));
        throw new Error('this message failed');
      }).catch(() => undefined);
      await withSavepoint(tx, 'attempt', async () => afterCommit(tx, async () => void ran.push('released')));
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['kept', 'released']);

    await expect(
      tenantDb.run({ tenantId }, async (tx) => {
        afterCommit(tx, async () => void ran.push('never'));
        throw new Error('the whole transaction failed');
      }),
    ).rejects.toThrow('the whole transaction failed');
    expect(ran).toEqual(['kept', 'released']);
  });

  it('refuse a transaction TenantDb did not open', async () => {
    await t.dataSource.transaction(async (tx) => {
      expect(() => afterCommit(tx, async () => undefined)).toThrow(/TenantDb\.run/);
    });
  });
});
