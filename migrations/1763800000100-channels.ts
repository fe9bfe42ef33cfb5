import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channel connections and the pipeline's two durable queues: the inbox (provider
 * deliveries, stored before we answer 200) and the outbox (replies, stored in the same
 * transaction as the decision that produced them).
 */
export class Channels1763800000100 implements MigrationInterface {
  name = 'Channels1763800000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE channels (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        type                 text NOT NULL CHECK (type IN ('whatsapp', 'instagram', 'webchat')),
        name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        -- WhatsApp phone_number_id or Instagram account id; none for web chat.
        external_id          text CHECK (length(external_id) BETWEEN 1 AND 64),
        access_token_sealed  text,
        access_token_last4   text CHECK (length(access_token_last4) <= 4),
        settings             jsonb NOT NULL DEFAULT '{}'::jsonb,
        status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reconnect', 'disconnected')),
        status_reason        text,
        disconnected_at      timestamptz,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        CHECK ((type = 'webchat') = (external_id IS NULL)),
        CHECK ((type = 'webchat') OR access_token_sealed IS NOT NULL OR status = 'disconnected'),
        CHECK ((status = 'disconnected') = (disconnected_at IS NOT NULL))
      );
      CREATE INDEX channels_tenant_idx ON channels (tenant_id, created_at DESC, id DESC);
      CREATE TRIGGER channels_touch BEFORE UPDATE ON channels FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      -- The routing index: which tenant and channel a provider account belongs to. A
      -- platform table (a webhook knows no tenant yet); its primary key is what keeps a
      -- phone number or Instagram account connected to one tenant at a time.
      CREATE TABLE channel_routes (
        provider     text NOT NULL CHECK (provider IN ('whatsapp', 'instagram')),
        external_id  text NOT NULL,
        tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        channel_id   uuid NOT NULL UNIQUE REFERENCES channels (id) ON DELETE CASCADE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, external_id)
      );
      CREATE INDEX channel_routes_tenant_idx ON channel_routes (tenant_id);

      CREATE TABLE inbox_messages (
        id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id             uuid NOT NULL,
        channel_id            uuid NOT NULL,
        provider_message_id   text NOT NULL CHECK (length(provider_message_id) BETWEEN 1 AND 1024),
        -- The customer as the channel knows them: WhatsApp wa_id, Instagram IGSID, web chat session.
        customer_ref          text NOT NULL CHECK (length(customer_ref) BETWEEN 1 AND 256),
        customer_name         text CHECK (length(customer_name) <= 256),
        content               jsonb NOT NULL,
        sent_at               timestamptz NOT NULL,
        received_at           timestamptz NOT NULL DEFAULT now(),
        processed_at          timestamptz,
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id) ON DELETE CASCADE
      );
      -- A replayed delivery hits this and is a no-op: Meta signs without timestamps.
      CREATE UNIQUE INDEX inbox_messages_provider_key ON inbox_messages (channel_id, provider_message_id);
      CREATE INDEX inbox_messages_pending_idx ON inbox_messages (tenant_id, channel_id, customer_ref, sent_at, id)
        WHERE processed_at IS NULL;
      CREATE INDEX inbox_messages_unprocessed_idx ON inbox_messages (received_at) WHERE processed_at IS NULL;

      ALTER TABLE channels ENABLE ROW LEVEL SECURITY;
      ALTER TABLE channels FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON channels
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE inbox_messages ENABLE ROW LEVEL SECURITY;
      ALTER TABLE inbox_messages FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON inbox_messages
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      GRANT SELECT, INSERT, UPDATE, DELETE ON channels, channel_routes TO hawker_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON inbox_messages TO hawker_app;

      -- The sweeper's role: it finds work left behind in every tenant (when Redis was
      -- away) and may see only that — unprocessed rows — and change nothing.
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hawker_sweeper') THEN
          CREATE ROLE hawker_sweeper NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF;
      END $$;
      GRANT hawker_sweeper TO current_user;
      GRANT USAGE ON SCHEMA public TO hawker_sweeper;
      GRANT SELECT (id, tenant_id, channel_id, received_at, processed_at) ON inbox_messages TO hawker_sweeper;
      -- A suspended business's messages wait, unanswered, without being swept again and again.
      GRANT SELECT (id, status) ON tenants TO hawker_sweeper;
      CREATE POLICY sweeper_pending ON inbox_messages FOR SELECT TO hawker_sweeper USING (processed_at IS NULL);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE inbox_messages, channel_routes, channels;`);
  }
}
