import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoices and their gapless per-tenant numbers. An invoice is a legal record: it holds a
 * snapshot of what it says (business, customer, lines, totals) taken when it was issued,
 * the application may change only its status, and it may delete nothing.
 */
export class Invoices1763800001200 implements MigrationInterface {
  name = 'Invoices1763800001200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- The next invoice sequence of each tenant, taken with UPDATE … RETURNING as the last
      -- step of issuing: its row lock is held to commit, so a rolled-back issue gives the
      -- number back and numbers have no gaps and no repeats.
      CREATE TABLE invoice_counters (
        tenant_id  uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
        next_sequence bigint NOT NULL CHECK (next_sequence >= 2)
      );

      CREATE TABLE invoices (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        -- NO ACTION: an order with an invoice cannot be deleted on its own (a tenant's own
        -- cascade still removes both).
        order_id          uuid NOT NULL,
        sequence          bigint NOT NULL CHECK (sequence >= 1),
        number            text NOT NULL CHECK (number ~ '^INV-[0-9]{4}-[0-9]{6,15}$'),
        status            text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'paid', 'void')),
        -- The snapshot, as issued.
        order_number      bigint NOT NULL CHECK (order_number > 1000),
        business_name     text NOT NULL CHECK (length(business_name) BETWEEN 1 AND 200),
        locale            text NOT NULL CHECK (length(locale) BETWEEN 2 AND 35),
        timezone          text NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
        customer_name     text NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 200),
        customer_phone    text NOT NULL CHECK (customer_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        -- NULL when the customer collects the order.
        customer_address  text CHECK (length(customer_address) BETWEEN 1 AND 500),
        currency          char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        subtotal_minor    bigint NOT NULL CHECK (subtotal_minor >= 0),
        total_minor       bigint NOT NULL CHECK (total_minor >= 0),
        -- The clock when the number was taken, under the counter's lock: newest first by
        -- time is also by number.
        issued_at         timestamptz NOT NULL,
        paid_at           timestamptz,
        voided_at         timestamptz,
        UNIQUE (tenant_id, id),
        UNIQUE (tenant_id, order_id),
        UNIQUE (tenant_id, sequence),
        UNIQUE (tenant_id, number),
        CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
        CHECK ((status = 'void') = (voided_at IS NOT NULL)),
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
      );
      CREATE INDEX invoices_tenant_recent_idx ON invoices (tenant_id, issued_at DESC, id DESC);
      CREATE INDEX invoices_tenant_status_idx ON invoices (tenant_id, status, issued_at DESC, id DESC);

      CREATE TABLE invoice_lines (
        tenant_id         uuid NOT NULL,
        invoice_id        uuid NOT NULL,
        position          integer NOT NULL CHECK (position >= 1),
        name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        quantity          integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
        unit_price_minor  bigint NOT NULL CHECK (unit_price_minor >= 0),
        line_total_minor  bigint NOT NULL CHECK (line_total_minor = unit_price_minor * quantity),
        PRIMARY KEY (tenant_id, invoice_id, position),
        FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
      );

      ALTER TABLE invoice_counters ENABLE ROW LEVEL SECURITY;
      ALTER TABLE invoice_counters FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON invoice_counters
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
      ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON invoices
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE invoice_lines ENABLE ROW LEVEL SECURITY;
      ALTER TABLE invoice_lines FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON invoice_lines
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      -- Invoices are kept by law: no DELETE anywhere, and of an issued invoice only its
      -- status and the times it changed may be updated, never what it says.
      GRANT SELECT, INSERT, UPDATE ON invoice_counters TO hawker_app;
      GRANT SELECT, INSERT ON invoices, invoice_lines TO hawker_app;
      GRANT UPDATE (status, paid_at, voided_at) ON invoices TO hawker_app;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE invoice_lines, invoices, invoice_counters`);
  }
}
