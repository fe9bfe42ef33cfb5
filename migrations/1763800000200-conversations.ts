import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contacts, conversations and their transcript, and the outbox that delivers replies.
 * A conversation belongs to one tenant, one contact and one channel; its mode and
 * commerce step change only along the engine's transition tables.
 */
export class Conversations1763800000200 implements MigrationInterface {
  name = 'Conversations1763800000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE contacts (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id        uuid NOT NULL,
        channel_id       uuid NOT NULL,
        -- The customer as the channel knows them (wa_id, IGSID, web chat session).
        external_ref     text NOT NULL CHECK (length(external_ref) BETWEEN 1 AND 256),
        display_name     text CHECK (length(display_name) <= 256),
        phone            text CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        last_inbound_at  timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX contacts_channel_ref_key ON contacts (tenant_id, channel_id, external_ref);
      CREATE INDEX contacts_tenant_created_idx ON contacts (tenant_id, created_at DESC, id DESC);

      CREATE TABLE conversations (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id           uuid NOT NULL,
        contact_id          uuid NOT NULL,
        channel_id          uuid NOT NULL,
        mode                text NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'escalated', 'human', 'resolved')),
        commerce_step       text NOT NULL DEFAULT 'browsing' CHECK (commerce_step IN ('browsing', 'cart', 'details', 'awaiting_payment')),
        assignee_id         uuid REFERENCES users (id) ON DELETE SET NULL,
        -- Consecutive messages the bot did not understand; a human is offered at 3.
        misunderstandings   integer NOT NULL DEFAULT 0 CHECK (misunderstandings >= 0),
        -- The start of the provider's customer-service window (24 h on WhatsApp).
        last_inbound_at     timestamptz,
        last_message_at     timestamptz,
        escalated_at        timestamptz,
        resolved_at         timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX conversations_contact_channel_key ON conversations (tenant_id, contact_id, channel_id);
      CREATE INDEX conversations_tenant_mode_idx ON conversations (tenant_id, mode, last_message_at DESC, id DESC);
      CREATE INDEX conversations_tenant_recent_idx ON conversations (tenant_id, last_message_at DESC, id DESC);

      CREATE TABLE messages (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id            uuid NOT NULL,
        conversation_id      uuid NOT NULL,
        direction            text NOT NULL CHECK (direction IN ('in', 'out')),
        -- Who produced it: the customer, or for replies the path that did (ai, fallback, staff, system).
        source               text NOT NULL CHECK (source IN ('customer', 'ai', 'fallback', 'staff', 'system')),
        body                 text NOT NULL DEFAULT '' CHECK (length(body) <= 8192),
        content              jsonb NOT NULL DEFAULT '{}'::jsonb,
        inbox_id             bigint,
        -- For a reply, the customer message it answers: a retried turn re-sends, never re-decides.
        in_reply_to_id       uuid,
        author_user_id       uuid,
        delivery_status      text CHECK (delivery_status IN ('pending', 'sent', 'delivered', 'read', 'failed', 'undeliverable')),
        provider_message_id  text,
        error_code           text,
        error_reason         text CHECK (length(error_reason) <= 1000),
        created_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
        status_at            timestamptz,
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE,
        CHECK ((direction = 'in') = (source = 'customer')),
        CHECK ((direction = 'out') = (delivery_status IS NOT NULL))
      );
      CREATE INDEX messages_conversation_idx ON messages (tenant_id, conversation_id, created_at, id);
      CREATE UNIQUE INDEX messages_inbox_key ON messages (tenant_id, inbox_id) WHERE inbox_id IS NOT NULL;
      CREATE INDEX messages_reply_idx ON messages (tenant_id, in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
      CREATE INDEX messages_provider_idx ON messages (tenant_id, provider_message_id) WHERE provider_message_id IS NOT NULL;

      CREATE TABLE outbox_messages (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id        uuid NOT NULL,
        channel_id       uuid NOT NULL,
        conversation_id  uuid NOT NULL,
        message_id       uuid NOT NULL,
        payload          jsonb NOT NULL,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        last_error       text CHECK (length(last_error) <= 1000),
        created_at       timestamptz NOT NULL DEFAULT now(),
        sent_at          timestamptz,
        FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX outbox_messages_message_key ON outbox_messages (tenant_id, message_id);
      CREATE INDEX outbox_messages_pending_idx ON outbox_messages (tenant_id, conversation_id, id) WHERE status = 'pending';
      CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE status = 'pending';

      CREATE TRIGGER contacts_touch BEFORE UPDATE ON contacts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
      CREATE TRIGGER conversations_touch BEFORE UPDATE ON conversations FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
      ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON contacts
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
      ALTER TABLE conversations FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON conversations
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
      ALTER TABLE messages FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON messages
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE outbox_messages ENABLE ROW LEVEL SECURITY;
      ALTER TABLE outbox_messages FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON outbox_messages
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      GRANT SELECT, INSERT, UPDATE, DELETE ON contacts, conversations, messages, outbox_messages TO hawker_app;
      GRANT SELECT (id, tenant_id, channel_id, conversation_id, status, next_attempt_at) ON outbox_messages TO hawker_sweeper;
      CREATE POLICY sweeper_pending ON outbox_messages FOR SELECT TO hawker_sweeper USING (status = 'pending');
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox_messages, messages, conversations, contacts;`);
  }
}
