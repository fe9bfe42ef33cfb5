import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Order and payment notifications to customers, each sent at most once. */
export class CustomerNotifications1763800001300 implements MigrationInterface {
  name = 'CustomerNotifications1763800001300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE customer_notifications (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id        uuid NOT NULL,
        order_id         uuid NOT NULL,
        -- The order's conversation: the channel the customer is answered on. Copied from the
        -- order by the INSERT … SELECT that records a notification, never given by a caller,
        -- so it cannot disagree with the order (orders has no UNIQUE (tenant_id, id,
        -- conversation_id) for a composite key to point at, and an order never changes it).
        conversation_id  uuid NOT NULL,
        kind             text NOT NULL CHECK (kind IN ('payment_link', 'payment_received', 'order_confirmed',
                           'order_processing', 'out_for_delivery', 'delivered', 'order_cancelled', 'checkout_expired')),
        -- The once-only key within the order (the kind, unless the caller keys repeats apart).
        key              text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        -- What to say, as the caller gave it: amounts, bank-transfer instructions, a payment
        -- page's URL, and an invoice's signed public link. That link is a bearer token, kept
        -- because the message is built from it when it is sent: it opens only that invoice's
        -- PDF, expires (INVOICE_LINK_TTL_SECONDS), and the message carrying it is stored in
        -- the transcript and the outbox anyway. No other credential belongs here.
        notice           jsonb NOT NULL CHECK (jsonb_typeof(notice) = 'object' AND octet_length(notice::text) <= 8192),
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'undeliverable')),
        -- Where and how it went out, once it did.
        channel          text CHECK (channel IN ('whatsapp', 'instagram', 'webchat')),
        delivered_as     text CHECK (delivered_as IN ('text', 'document', 'template')),
        -- The transcript message that carries it (the template's, after a fall-back).
        message_id       uuid,
        reason           text CHECK (length(reason) <= 500),
        -- Deliveries of this notification that failed with an error, and the last one: past
        -- a few it is given up (undeliverable, staff told), so it cannot hold back the order's
        -- later notifications.
        attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error       text CHECK (length(last_error) <= 500),
        -- Set when a free-form WhatsApp send refused for the closed window was dealt with
        -- (re-sent as a template, or given up): it is never dealt with twice.
        fell_back_at     timestamptz,
        -- The clock at insert, not the transaction's start: notifications go out in this order.
        created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        settled_at       timestamptz,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        UNIQUE (tenant_id, order_id, key),
        CHECK ((status = 'pending') = (settled_at IS NULL)),
        CHECK (status <> 'pending' OR (message_id IS NULL AND channel IS NULL AND delivered_as IS NULL)),
        CHECK (status <> 'sent' OR (channel IS NOT NULL AND delivered_as IS NOT NULL)),
        CHECK (fell_back_at IS NULL OR status <> 'pending'),
        FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE,
        -- An erased transcript message leaves the notification's record standing.
        FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE SET NULL (message_id)
      );
      -- What the delivery job drains, oldest first; small, so the sweeper may scan it whole.
      CREATE INDEX customer_notifications_pending_idx ON customer_notifications (tenant_id, order_id, created_at, id)
        WHERE status = 'pending';
      CREATE INDEX customer_notifications_message_idx ON customer_notifications (tenant_id, message_id)
        WHERE message_id IS NOT NULL;
      -- The sweeper's look-out for free-form WhatsApp sends that Meta may still refuse
      -- (131047 arrives as a later status). Like the pipeline's sweeper indexes it leads
      -- with time, not tenant: the sweep reads the last day across all tenants.
      CREATE INDEX customer_notifications_window_watch_idx ON customer_notifications (settled_at)
        WHERE status = 'sent' AND channel = 'whatsapp' AND delivered_as <> 'template' AND fell_back_at IS NULL;
      CREATE TRIGGER customer_notifications_touch BEFORE UPDATE ON customer_notifications
        FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      -- The template a business has Meta-approved for updates outside WhatsApp's 24-hour
      -- window: body {{1}} the order number, {{2}} a one-line update.
      CREATE TABLE notification_settings (
        tenant_id                   uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
        whatsapp_template_name      text CHECK (whatsapp_template_name ~ '^[a-z0-9_]+$' AND length(whatsapp_template_name) <= 512),
        whatsapp_template_language  text CHECK (whatsapp_template_language ~ '^[a-z]{2,3}(_[A-Z]{2})?$'),
        updated_by                  uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at                  timestamptz NOT NULL DEFAULT now(),
        CHECK ((whatsapp_template_name IS NULL) = (whatsapp_template_language IS NULL))
      );
      CREATE TRIGGER notification_settings_touch BEFORE UPDATE ON notification_settings
        FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      ALTER TABLE customer_notifications ENABLE ROW LEVEL SECURITY;
      ALTER TABLE customer_notifications FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON customer_notifications
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE notification_settings ENABLE ROW LEVEL SECURITY;
      ALTER TABLE notification_settings FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON notification_settings
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      -- Notifications are a record of what the customer was told: never deleted by the app,
      -- and what was asked for (order, kind, key, notice) never rewritten, only its outcome.
      GRANT SELECT, INSERT ON customer_notifications TO hawker_app;
      GRANT UPDATE (status, channel, delivered_as, message_id, reason, fell_back_at, settled_at, attempts, last_error)
        ON customer_notifications TO hawker_app;
      GRANT SELECT, INSERT, UPDATE ON notification_settings TO hawker_app;

      -- The sweeper finds orders whose notifications wait on a lost job, and free-form
      -- WhatsApp sends that Meta refused for the closed window. It sees only those rows of
      -- the last day (what CustomerNotificationSweeper asks for: PENDING_HORIZON_SECONDS and
      -- FALLBACK_WATCH_SECONDS), only the columns that name them, and changes nothing.
      GRANT SELECT (tenant_id, order_id, message_id, status, channel, delivered_as, fell_back_at, created_at, settled_at)
        ON customer_notifications TO hawker_sweeper;
      CREATE POLICY sweeper_unsettled ON customer_notifications FOR SELECT TO hawker_sweeper
        USING ((status = 'pending' AND created_at > now() - interval '1 day')
               OR (status = 'sent' AND channel = 'whatsapp' AND delivered_as <> 'template' AND fell_back_at IS NULL
                   AND settled_at > now() - interval '1 day'));
      -- A watched send's message is written in the transaction that settles it, so a
      -- message of the last day covers every notification settled in it.
      GRANT SELECT (id, tenant_id, delivery_status, error_code) ON messages TO hawker_sweeper;
      CREATE POLICY sweeper_window_refused ON messages FOR SELECT TO hawker_sweeper
        USING (delivery_status = 'failed' AND error_code IN ('meta:131047', 'outside_window')
               AND created_at > now() - interval '1 day');
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP POLICY sweeper_window_refused ON messages;
      REVOKE SELECT (id, tenant_id, delivery_status, error_code) ON messages FROM hawker_sweeper;
      DROP TABLE notification_settings, customer_notifications;
    `);
  }
}
