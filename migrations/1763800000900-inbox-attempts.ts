import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed attempts per inbox row. A message whose processing keeps failing is set aside
 * (`failed_at`, and marked processed) after a few attempts, so it cannot hold back the
 * same customer's later messages forever; it stays in the inbox for staff and support.
 */
export class InboxAttempts1763800000900 implements MigrationInterface {
  name = 'InboxAttempts1763800000900';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE inbox_messages
        ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        ADD COLUMN last_error text CHECK (length(last_error) <= 500),
        ADD COLUMN failed_at timestamptz,
        ADD CONSTRAINT inbox_messages_failed_processed CHECK (failed_at IS NULL OR processed_at IS NOT NULL);
      CREATE INDEX inbox_messages_failed_idx ON inbox_messages (tenant_id, failed_at DESC) WHERE failed_at IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX inbox_messages_failed_idx;
      ALTER TABLE inbox_messages DROP CONSTRAINT inbox_messages_failed_processed,
        DROP COLUMN failed_at, DROP COLUMN last_error, DROP COLUMN attempts;
    `);
  }
}
