import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent per contact and purpose, with its history. `contact_consents` holds the current
 * answer (no row: never asked, which counts as not withdrawn); `consent_events` is the
 * append-only record of every change, who made it and how, as a data-protection officer
 * would ask to see it.
 */
export class Consents1763800001400 implements MigrationInterface {
  name = 'Consents1763800001400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE contact_consents (
        tenant_id      uuid NOT NULL,
        contact_id     uuid NOT NULL,
        purpose        text NOT NULL CHECK (purpose IN ('service', 'marketing')),
        status         text NOT NULL CHECK (status IN ('granted', 'withdrawn')),
        -- How the last change arrived: a chat keyword, a staff member, or an API client.
        source         text NOT NULL CHECK (source IN ('chat', 'staff', 'api')),
        actor_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
        changed_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (tenant_id, contact_id, purpose),
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
        -- A customer in chat acts for themselves; staff and API changes name who made them.
        CHECK (source <> 'chat' OR actor_user_id IS NULL)
      );

      CREATE TABLE consent_events (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id      uuid NOT NULL,
        contact_id     uuid NOT NULL,
        purpose        text NOT NULL CHECK (purpose IN ('service', 'marketing')),
        status         text NOT NULL CHECK (status IN ('granted', 'withdrawn')),
        source         text NOT NULL CHECK (source IN ('chat', 'staff', 'api')),
        actor_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
        -- The clock at insert: two changes in one transaction keep their order.
        created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
        CHECK (source <> 'chat' OR actor_user_id IS NULL)
      );
      CREATE INDEX consent_events_contact_idx ON consent_events (tenant_id, contact_id, created_at DESC, id DESC);

      ALTER TABLE contact_consents ENABLE ROW LEVEL SECURITY;
      ALTER TABLE contact_consents FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON contact_consents
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
      ALTER TABLE consent_events ENABLE ROW LEVEL SECURITY;
      ALTER TABLE consent_events FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON consent_events
        USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

      -- The current answer changes in place; a contact's erasure removes it with the contact.
      GRANT SELECT, INSERT, UPDATE ON contact_consents TO hawker_app;
      -- The history is append-only.
      GRANT SELECT, INSERT ON consent_events TO hawker_app;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE consent_events, contact_consents;`);
  }
}
