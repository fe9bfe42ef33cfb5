import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The staff side of the inbox: what staff have read, who is taking conversations, and how
 * many each person may hold at once.
 *
 * Read state is one `staff_read_at` per conversation rather than a row per person: an
 * escalated conversation is worked by its one assignee, so "has the team seen this" is
 * the question the inbox answers, and it costs one column instead of a table that grows
 * with members × conversations.
 */
export class Staff1763800000700 implements MigrationInterface {
  name = 'Staff1763800000700';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Inbound messages after this instant are unread by staff.
      ALTER TABLE conversations ADD COLUMN staff_read_at timestamptz;

      -- The staff inbox, oldest waiting first.
      CREATE INDEX conversations_inbox_idx ON conversations (tenant_id, (coalesce(escalated_at, created_at)), id)
        WHERE mode IN ('escalated', 'human');
      -- Each person's open load, counted on every auto-assignment.
      CREATE INDEX conversations_assignee_open_idx ON conversations (tenant_id, assignee_id)
        WHERE mode IN ('escalated', 'human') AND assignee_id IS NOT NULL;

      -- Who takes new conversations. A row belongs to a membership, so a member who leaves
      -- the business is never assigned anything again. No row means away.
      CREATE TABLE staff_availability (
        tenant_id   uuid NOT NULL,
        user_id     uuid NOT NULL,
        status      text NOT NULL CHECK (status IN ('available', 'away')),
        -- When the status last changed: among equally loaded people, the one available
        -- longest is assigned first.
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id),
        FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
      );

      CREATE TABLE inbox_settings (
        tenant_id           uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
        -- How many open (escalated or human) conversations auto-assignment gives one person.
        max_open_per_agent  integer NOT NULL CHECK (max_open_per_agent BETWEEN 1 AND 100),
        updated_by          uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now()
      );
      CREATE TRIGGER inbox_settings_touch BEFORE UPDATE ON inbox_settings FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

      ALTER TABLE staff_availability ENABLE ROW LEVEL SECURITY;
      ALTER TABLE staff_availability FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON staff_availability
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE inbox_settings ENABLE ROW LEVEL SECURITY;
      ALTER TABLE inbox_settings FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON inbox_settings
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      GRANT SELECT, INSERT, UPDATE, DELETE ON staff_availability, inbox_settings TO hawker_app;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE inbox_settings, staff_availability;
      DROP INDEX conversations_assignee_open_idx, conversations_inbox_idx;
      ALTER TABLE conversations DROP COLUMN staff_read_at;
    `);
  }
}
