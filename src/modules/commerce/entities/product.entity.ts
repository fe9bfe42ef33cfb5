import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, ValueTransformer } from 'typeorm';

/**
 * `bigint` arrives from pg as a string. Prices are capped at 10^12 minor units by the API,
 * far inside Number's safe range, so a plain number is exact; anything else is refused
 * loudly rather than rounded.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null) return null;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw new RangeError(`Not a safe integer amount: ${value}`);
    return parsed;
  },
};

/** A catalog item. Deleting keeps the row (orders and audit refer to it) and sets `deletedAt`. */
@Entity('products')
export class Product {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('bigint', { transformer: bigintToNumber }) priceMinor!: number;
  @Column('char', { length: 3 }) currency!: string;
  @Column('text', { nullable: true }) sku!: string | null;
  @Column('boolean') active!: boolean;
  /** Null: stock is not tracked. */
  @Column('integer', { nullable: true }) stock!: number | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { nullable: true }) deletedAt!: Date | null;
}
