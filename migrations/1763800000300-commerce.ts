import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The catalog and one cart per conversation. Money is integer minor units with its currency. */
export class Commerce1763800000300 implements MigrationInterface {
  name = 'Commerce1763800000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE products (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description  text CHECK (length(description) <= 2000),
        price_minor  bigint NOT NULL CHECK (price_minor > 0),
        currency     char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        -- The retailer id of the business's WhatsApp catalog item, when it has one.
        sku          text CHECK (length(sku) BETWEEN 1 AND 100),
        active       boolean NOT NULL DEFAULT true,
        -- NULL: not tracked. Reserved at order confirmation, never below zero.
        stock        integer CHECK (stock >= 0),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        deleted_at   timestamptz,
        UNIQUE (tenant_id, id)
      );
      CREATE UNIQUE INDEX products_sku_key ON products (tenant_id, sku) WHERE sku IS NOT NULL AND deleted_at IS NULL;
      -- The menu order customers see: oldest first, so item numbers stay stable as products are added.
      CREATE INDEX products_catalog_idx ON products (tenant_id, created_at, id) WHERE deleted_at IS NULL;
      CREATE TRIGGER products_touch BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      CREATE TABLE carts (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id        uuid NOT NULL,
        conversation_id  uuid NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX carts_conversation_key ON carts (tenant_id, conversation_id);
      CREATE TRIGGER carts_touch BEFORE UPDATE ON carts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      CREATE TABLE cart_items (
        tenant_id   uuid NOT NULL,
        cart_id     uuid NOT NULL,
        product_id  uuid NOT NULL,
        quantity    integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
        added_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (tenant_id, cart_id, product_id),
        FOREIGN KEY (tenant_id, cart_id) REFERENCES carts (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
      );

      ALTER TABLE products ENABLE ROW LEVEL SECURITY;
      ALTER TABLE products FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON products
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE carts ENABLE ROW LEVEL SECURITY;
      ALTER TABLE carts FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON carts
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE cart_items ENABLE ROW LEVEL SECURITY;
      ALTER TABLE cart_items FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON cart_items
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      GRANT SELECT, INSERT, UPDATE, DELETE ON products, carts, cart_items TO hawker_app;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE cart_items, carts, products;`);
  }
}
