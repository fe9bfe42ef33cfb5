import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The AI's settings per business, and one row per AI turn: the claim that keeps a
 * customer's message from being sent to the model twice, and the record of which path
 * answered it (for the AI report).
 */
export class Ai1763800000600 implements MigrationInterface {
  name = 'Ai1763800000600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ai_settings (
        tenant_id         uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
        enabled           boolean NOT NULL DEFAULT false,
        instructions      text NOT NULL DEFAULT '' CHECK (length(instructions) <= 4000),
        tone              text CHECK (length(tone) <= 200),
        handoff_keywords  text[] NOT NULL DEFAULT '{}' CHECK (cardinality(handoff_keywords) <= 50),
        updated_by        uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at        timestamptz NOT NULL DEFAULT now()
      );
      CREATE TRIGGER ai_settings_touch BEFORE UPDATE ON ai_settings FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      CREATE TABLE ai_turns (
        tenant_id        uuid NOT NULL,
        -- The customer message this turn answers.
        message_id       uuid NOT NULL,
        conversation_id  uuid NOT NULL,
        status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'answered', 'fell_back')),
        -- While running: until when this worker owns the turn. A dead worker's turn is
        -- taken over after it passes.
        lease_until      timestamptz NOT NULL,
        attempts         integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
        fallback_reason  text CHECK (length(fallback_reason) <= 200),
        tool_calls       integer NOT NULL DEFAULT 0 CHECK (tool_calls >= 0),
        latency_ms       integer CHECK (latency_ms >= 0),
        created_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz,
        PRIMARY KEY (tenant_id, message_id),
        FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE,
        CHECK ((status = 'running') = (finished_at IS NULL))
      );
      CREATE INDEX ai_turns_running_idx ON ai_turns (tenant_id, conversation_id) WHERE status = 'running';
      CREATE INDEX ai_turns_report_idx ON ai_turns (tenant_id, created_at);

      ALTER TABLE ai_settings ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ai_settings FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON ai_settings
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE ai_turns ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ai_turns FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON ai_turns
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      GRANT SELECT, INSERT, UPDATE, DELETE ON ai_settings, ai_turns TO hawker_app;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ai_turns, ai_settings;`);
  }
}
