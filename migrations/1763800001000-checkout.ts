import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery details collected in chat before an order exists, and what the maintenance
 * schedule may see of orders to expire unpaid checkouts across tenants.
 */
export class Checkout1763800001000 implements MigrationInterface {
  name = 'Checkout1763800001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- The answers so far (name, phone, address or pickup), checked one by one as the
      -- customer gives them; kept after an order so the next checkout can reuse them.
      ALTER TABLE conversations
        ADD COLUMN checkout_draft jsonb NOT NULL DEFAULT '{}'::jsonb
          CHECK (jsonb_typeof(checkout_draft) = 'object' AND octet_length(checkout_draft::text) <= 4096);

      -- The maintenance schedule finds unpaid checkouts past their expiry in every tenant,
      -- then cancels each inside that tenant's own transaction. It reads only these columns
      -- of such orders (a scan of the small partial index orders_tenant_expiry_idx).
      GRANT SELECT (id, tenant_id, status, payment_status, expires_at) ON orders TO hawker_sweeper;
      CREATE POLICY sweeper_expiring ON orders FOR SELECT TO hawker_sweeper
        USING (status = 'pending_confirmation' AND payment_status <> 'paid' AND expires_at < now());
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP POLICY sweeper_expiring ON orders;
      REVOKE SELECT (id, tenant_id, status, payment_status, expires_at) ON orders FROM hawker_sweeper;
      ALTER TABLE conversations DROP COLUMN checkout_draft;
    `);
  }
}
