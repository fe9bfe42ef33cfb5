import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders: a snapshot of a cart at checkout, its lifecycle history and a gapless per-tenant
 * number. Money is integer minor units with its currency.
 */
export class Orders1763800000800 implements MigrationInterface {
  name = 'Orders1763800000800';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- A cart's version moves on every change to the cart row, which CartService touches on
      -- every change to its lines. Checkout keys an order on (cart, version), so confirming
      -- the same unchanged cart twice finds the first order instead of making a second.
      ALTER TABLE carts ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version >= 1);
      CREATE FUNCTION bump_cart_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.version := OLD.version + 1; RETURN NEW; END $$;
      CREATE TRIGGER carts_version BEFORE UPDATE ON carts FOR EACH ROW EXECUTE FUNCTION bump_cart_version();

      -- The next order number of each tenant. Taken with UPDATE … RETURNING, whose row lock
      -- is held to commit, so a rolled-back checkout gives its number back: no gaps.
      CREATE TABLE order_counters (
        tenant_id    uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
        next_number  bigint NOT NULL CHECK (next_number > 1000)
      );

      CREATE TABLE orders (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        number           bigint NOT NULL CHECK (number > 1000),
        -- Orders are business records: deleting a conversation or contact must not take
        -- them along silently (NO ACTION, so a tenant's own cascade still removes both).
        conversation_id  uuid NOT NULL,
        contact_id       uuid NOT NULL,
        -- Carts are working state and may go; the id stays as part of the checkout key.
        cart_id          uuid NOT NULL,
        checkout_key     text NOT NULL CHECK (length(checkout_key) BETWEEN 1 AND 200),
        status           text NOT NULL DEFAULT 'pending_confirmation' CHECK (status IN
                           ('pending_confirmation', 'confirmed', 'processing', 'out_for_delivery', 'delivered', 'cancelled')),
        payment_status   text NOT NULL DEFAULT 'unpaid' CHECK (payment_status IN ('unpaid', 'pending', 'paid', 'failed', 'refunded')),
        currency         char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        subtotal_minor   bigint NOT NULL CHECK (subtotal_minor >= 0),
        total_minor      bigint NOT NULL CHECK (total_minor >= 0),
        delivery         jsonb NOT NULL CHECK (
                           jsonb_typeof(delivery) = 'object'
                           AND jsonb_typeof(delivery -> 'name') = 'string'
                           AND jsonb_typeof(delivery -> 'phone') = 'string'
                           AND (jsonb_typeof(delivery -> 'address') = 'string' OR delivery -> 'pickup' = 'true'::jsonb)),
        -- When an unpaid checkout lapses; cleared once the order leaves pending_confirmation.
        expires_at       timestamptz,
        -- The clock at insert, not the transaction's start: numbers are taken under the
        -- counter's lock just before, so newest-first by time is also by number.
        created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        UNIQUE (tenant_id, number),
        UNIQUE (tenant_id, checkout_key),
        FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
      );
      CREATE INDEX orders_tenant_recent_idx ON orders (tenant_id, created_at DESC, id DESC);
      CREATE INDEX orders_tenant_status_idx ON orders (tenant_id, status, created_at DESC, id DESC);
      CREATE INDEX orders_tenant_contact_idx ON orders (tenant_id, contact_id, created_at DESC);
      CREATE INDEX orders_tenant_conversation_idx ON orders (tenant_id, conversation_id);
      CREATE INDEX orders_tenant_expiry_idx ON orders (tenant_id, expires_at) WHERE status = 'pending_confirmation';
      CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      CREATE TABLE order_items (
        tenant_id         uuid NOT NULL,
        order_id          uuid NOT NULL,
        position          integer NOT NULL CHECK (position >= 1),
        product_id        uuid NOT NULL,
        -- Snapshots: what the customer agreed to, whatever the catalog says later.
        name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        unit_price_minor  bigint NOT NULL CHECK (unit_price_minor >= 0),
        quantity          integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
        line_total_minor  bigint NOT NULL CHECK (line_total_minor = unit_price_minor * quantity),
        -- Units taken from the product's stock for this line (0 when stock is not tracked or
        -- was given back), so a release returns exactly what was taken, once.
        reserved          integer NOT NULL DEFAULT 0 CHECK (reserved BETWEEN 0 AND quantity),
        PRIMARY KEY (tenant_id, order_id, position),
        UNIQUE (tenant_id, order_id, product_id),
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
      );

      CREATE TABLE order_transitions (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id      uuid NOT NULL,
        order_id       uuid NOT NULL,
        -- NULL for the order's creation.
        from_status    text,
        to_status      text NOT NULL,
        actor_type     text NOT NULL CHECK (actor_type IN ('customer', 'staff', 'system')),
        actor_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
        note           text CHECK (length(note) <= 500),
        created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (from_status IS DISTINCT FROM to_status),
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX order_transitions_order_idx ON order_transitions (tenant_id, order_id, created_at, id);

      ALTER TABLE order_counters ENABLE ROW LEVEL SECURITY;
      ALTER TABLE order_counters FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON order_counters
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
      ALTER TABLE orders FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON orders
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE order_items ENABLE ROW LEVEL SECURITY;
      ALTER TABLE order_items FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON order_items
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE order_transitions ENABLE ROW LEVEL SECURITY;
      ALTER TABLE order_transitions FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON order_transitions
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      GRANT SELECT, INSERT, UPDATE ON order_counters, orders, order_items TO hawker_app;
      -- The history is append-only.
      GRANT SELECT, INSERT ON order_transitions TO hawker_app;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE order_transitions, order_items, orders, order_counters;
      DROP TRIGGER carts_version ON carts;
      DROP FUNCTION bump_cart_version();
      ALTER TABLE carts DROP COLUMN version;
    `);
  }
}
