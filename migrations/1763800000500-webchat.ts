import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Web chat sessions. A web chat customer has no phone number or provider id: the session
 * is their identity, like a device passport, and its id is the contact's external
 * reference. Only the SHA-256 of the bearer token is kept, so a leaked table opens no chat.
 */
export class Webchat1763800000500 implements MigrationInterface {
  name = 'Webchat1763800000500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webchat_sessions (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id     uuid NOT NULL,
        channel_id    uuid NOT NULL,
        token_hash    text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        user_agent    text CHECK (length(user_agent) <= 512),
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_seen_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX webchat_sessions_channel_idx ON webchat_sessions (tenant_id, channel_id, created_at DESC, id DESC);
      -- For expiring sessions that have not been seen for a long time.
      CREATE INDEX webchat_sessions_seen_idx ON webchat_sessions (tenant_id, last_seen_at);

      ALTER TABLE webchat_sessions ENABLE ROW LEVEL SECURITY;
      ALTER TABLE webchat_sessions FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON webchat_sessions
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      GRANT SELECT, INSERT, UPDATE, DELETE ON webchat_sessions TO hawker_app;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webchat_sessions;`);
  }
}
