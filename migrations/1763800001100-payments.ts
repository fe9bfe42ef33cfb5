import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments: each business's settings (its Paystack key sealed), the durable requests to
 * send a customer a way to pay, the checkout links created with Paystack, the provider
 * events received by webhook, and the ledger of transactions applied to orders.
 */
export class Payments1763800001100 implements MigrationInterface {
  name = 'Payments1763800001100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE payment_settings (
        tenant_id                    uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
        methods                      text[] NOT NULL DEFAULT '{}'
                                       CHECK (methods <@ ARRAY['paystack', 'bank_transfer']::text[] AND cardinality(methods) <= 2),
        -- SecretBox-sealed with the tenant id as associated data; only its last 4 are ever shown.
        paystack_secret_key_sealed   text CHECK (length(paystack_secret_key_sealed) BETWEEN 1 AND 1000),
        paystack_secret_key_last4    text CHECK (length(paystack_secret_key_last4) = 4),
        paystack_key_mode            text CHECK (paystack_key_mode IN ('test', 'live')),
        bank_transfer_instructions   text CHECK (length(bank_transfer_instructions) BETWEEN 1 AND 1000),
        updated_by                   uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at                   timestamptz NOT NULL DEFAULT now(),
        CHECK ((paystack_secret_key_sealed IS NULL) = (paystack_secret_key_last4 IS NULL)),
        CHECK ((paystack_secret_key_sealed IS NULL) = (paystack_key_mode IS NULL)),
        -- A method is offered only with what it needs.
        CHECK (NOT ('paystack' = ANY (methods)) OR paystack_secret_key_sealed IS NOT NULL),
        CHECK (NOT ('bank_transfer' = ANY (methods)) OR bank_transfer_instructions IS NOT NULL)
      );
      CREATE TRIGGER payment_settings_touch BEFORE UPDATE ON payment_settings
        FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      -- "Send this customer a way to pay": written in the transaction that placed the order
      -- (or heard "pay"), so the request survives a Redis outage; processed once.
      CREATE TABLE payment_requests (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        order_id      uuid NOT NULL,
        reason        text NOT NULL CHECK (reason IN ('order_placed', 'customer_asked')),
        outcome       text CHECK (outcome IN ('paystack_link', 'bank_transfer', 'no_method', 'skipped')),
        -- Why Paystack could not be used, when it was offered (a provider error code).
        failure       text CHECK (length(failure) <= 200),
        created_at    timestamptz NOT NULL DEFAULT now(),
        -- When a job last asked Paystack for its link: the sweeper leaves a request alone
        -- while its job may still be retrying, so one request never makes two links at once.
        attempted_at  timestamptz,
        processed_at  timestamptz,
        CHECK ((processed_at IS NULL) = (outcome IS NULL)),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX payment_requests_order_idx ON payment_requests (tenant_id, order_id);
      CREATE INDEX payment_requests_pending_idx ON payment_requests (tenant_id, created_at) WHERE processed_at IS NULL;

      -- Checkout links created with Paystack. The reference is ours: a webhook names the
      -- order only through it, so a reference unknown to a tenant is never that tenant's.
      CREATE TABLE payment_attempts (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        order_id           uuid NOT NULL,
        provider           text NOT NULL CHECK (provider = 'paystack'),
        reference          text NOT NULL CHECK (reference ~ '^[A-Za-z0-9-]{8,100}$'),
        amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
        currency           char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        authorization_url  text NOT NULL CHECK (length(authorization_url) <= 2000 AND authorization_url ~ '^https://'),
        access_code        text CHECK (length(access_code) <= 200),
        created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (tenant_id, id),
        UNIQUE (tenant_id, provider, reference),
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
      );
      CREATE INDEX payment_attempts_order_idx ON payment_attempts (tenant_id, order_id, created_at DESC);

      -- Provider webhooks, stored once (Paystack signs no timestamp and sends no event id:
      -- the dedupe key is event + data.id, or event + reference) and applied by a job.
      CREATE TABLE payment_events (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        provider      text NOT NULL CHECK (provider = 'paystack'),
        event         text NOT NULL CHECK (length(event) BETWEEN 1 AND 100),
        dedupe_key    text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 300),
        reference     text CHECK (length(reference) BETWEEN 1 AND 200),
        payload       jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object' AND octet_length(payload::text) <= 262144),
        status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'ignored', 'failed')),
        outcome       text CHECK (length(outcome) <= 200),
        -- Errors met while applying it (a payment Paystack still calls "processing" is no
        -- error): bounded, so an event that can never apply is settled as failed, not retried forever.
        failures      integer NOT NULL DEFAULT 0 CHECK (failures BETWEEN 0 AND 10000),
        -- Why the last try left it pending: an error code or the verify status, never personal data.
        last_error    text CHECK (length(last_error) <= 200),
        -- When a try last left it pending: the sweeper leaves it alone while its job retries.
        attempted_at  timestamptz,
        received_at   timestamptz NOT NULL DEFAULT now(),
        processed_at  timestamptz,
        CHECK ((status = 'pending') = (processed_at IS NULL)),
        UNIQUE (tenant_id, id),
        UNIQUE (tenant_id, provider, dedupe_key)
      );
      CREATE INDEX payment_events_pending_idx ON payment_events (tenant_id, received_at) WHERE status = 'pending';
      -- Checkout expiry asks whether a payment for the order's references is still on its way.
      CREATE INDEX payment_events_pending_reference_idx ON payment_events (tenant_id, reference)
        WHERE status = 'pending';

      -- The ledger: money received for an order. One row per provider reference, however
      -- many times the payment is reported; a payment that does not fit its order is kept
      -- for review rather than applied.
      CREATE TABLE payment_transactions (
        id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id                uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        order_id                 uuid NOT NULL,
        provider                 text NOT NULL CHECK (provider IN ('paystack', 'bank_transfer')),
        reference                text NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
        amount_minor             bigint NOT NULL CHECK (amount_minor >= 0),
        currency                 char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        status                   text NOT NULL CHECK (status IN ('succeeded', 'review', 'refunded')),
        review_reasons           text[] NOT NULL DEFAULT '{}' CHECK (review_reasons <@
                                   ARRAY['amount_mismatch', 'currency_mismatch', 'order_cancelled', 'already_paid']::text[]),
        provider_transaction_id  text CHECK (length(provider_transaction_id) BETWEEN 1 AND 100),
        event_id                 uuid,
        recorded_by              uuid REFERENCES users (id) ON DELETE SET NULL,
        paid_at                  timestamptz NOT NULL,
        created_at               timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (status <> 'succeeded' OR cardinality(review_reasons) = 0),
        CHECK (status <> 'review' OR cardinality(review_reasons) > 0),
        UNIQUE (tenant_id, id),
        UNIQUE (tenant_id, provider, reference),
        -- Money records: deleting an order must not take them along (NO ACTION).
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
        FOREIGN KEY (tenant_id, event_id) REFERENCES payment_events (tenant_id, id)
      );
      CREATE INDEX payment_transactions_order_idx ON payment_transactions (tenant_id, order_id, created_at, id);

      ALTER TABLE payment_settings ENABLE ROW LEVEL SECURITY;
      ALTER TABLE payment_settings FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON payment_settings
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE payment_requests ENABLE ROW LEVEL SECURITY;
      ALTER TABLE payment_requests FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON payment_requests
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE payment_attempts ENABLE ROW LEVEL SECURITY;
      ALTER TABLE payment_attempts FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON payment_attempts
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE payment_events ENABLE ROW LEVEL SECURITY;
      ALTER TABLE payment_events FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON payment_events
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE payment_transactions ENABLE ROW LEVEL SECURITY;
      ALTER TABLE payment_transactions FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON payment_transactions
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      GRANT SELECT, INSERT, UPDATE ON payment_settings TO hawker_app;
      GRANT SELECT, INSERT ON payment_requests TO hawker_app;
      GRANT UPDATE (outcome, failure, attempted_at, processed_at) ON payment_requests TO hawker_app;
      -- Links and the ledger are append-only; a refund changes a transaction's status only.
      GRANT SELECT, INSERT ON payment_attempts, payment_transactions TO hawker_app;
      GRANT UPDATE (status) ON payment_transactions TO hawker_app;
      GRANT SELECT, INSERT ON payment_events TO hawker_app;
      GRANT UPDATE (status, outcome, failures, last_error, attempted_at, processed_at) ON payment_events TO hawker_app;

      -- The sweeper finds unfinished requests and events no job is working on (Redis was
      -- away, a job was lost, its retries ran out) and may see only those, and only their ids.
      GRANT SELECT (id, tenant_id, created_at, attempted_at, processed_at) ON payment_requests TO hawker_sweeper;
      CREATE POLICY sweeper_pending ON payment_requests FOR SELECT TO hawker_sweeper USING (processed_at IS NULL);
      GRANT SELECT (id, tenant_id, status, received_at, attempted_at) ON payment_events TO hawker_sweeper;
      CREATE POLICY sweeper_pending ON payment_events FOR SELECT TO hawker_sweeper USING (status = 'pending');
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DROP TABLE payment_transactions, payment_events, payment_attempts, payment_requests, payment_settings;`,
    );
  }
}
