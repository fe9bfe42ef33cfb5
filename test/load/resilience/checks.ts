import type pg from 'pg';
import type { Customer } from '../harness/dialog.js';
import type { LoadRun } from '../harness/load-run.js';

export interface Finding {
  check: string;
  ok: boolean;
  detail?: string;
}

/** Every customer message got its replies, once each and in order, from the right business. */
export function checkLedger(run: LoadRun): Finding[] {
  const { lost, duplicated, outOfOrder, wrong } = run.integrity();
  return [
    {
      check: 'no reply lost',
      ok: lost === 0,
      detail: lost ? `${lost} never arrived: ${run.ledger.owedSamples().join(' | ')}` : undefined,
    },
    { check: 'no reply duplicated', ok: duplicated === 0, detail: duplicated ? `${duplicated} duplicates` : undefined },
    { check: 'replies in order', ok: outOfOrder === 0, detail: outOfOrder ? `${outOfOrder} out of order` : undefined },
    {
      check: 'no reply misdirected or unexpected',
      ok: wrong === 0,
      detail: wrong ? run.ledger.wrongSamples.join(' | ') : undefined,
    },
  ];
}

interface CustomerRecords {
  external_ref: string;
  orders: number;
  total_minor: string | null;
  payments: number;
  paid_minor: string | null;
  invoices: number;
}

/**
 * What the businesses' books say, read straight from PostgreSQL: one order per customer who
 * confirmed, at their total; one payment and one invoice per order whose transfer staff
 * recorded; invoice numbers without gaps or repeats in each business.
 */
export async function checkRecords(db: pg.Pool, customers: Customer[]): Promise<Finding[]> {
  const { rows } = await db.query<CustomerRecords>(
    `SELECT ct.external_ref,
            count(DISTINCT o.id)::int AS orders, max(o.total_minor) AS total_minor,
            count(DISTINCT pt.id) FILTER (WHERE pt.status = 'succeeded')::int AS payments,
            max(pt.amount_minor) AS paid_minor,
            count(DISTINCT i.id)::int AS invoices
       FROM contacts ct
       LEFT JOIN orders o ON o.tenant_id = ct.tenant_id AND o.contact_id = ct.id
       LEFT JOIN payment_transactions pt ON pt.tenant_id = o.tenant_id AND pt.order_id = o.id
       LEFT JOIN invoices i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
      GROUP BY ct.external_ref`,
  );
  const records = new Map(rows.map((row) => [row.external_ref, row]));
  const wrongOrders: string[] = [];
  const wrongPayments: string[] = [];
  let orders = 0;
  let payments = 0;
  for (const customer of customers) {
    const record = records.get(customer.number);
    const confirmed = customer.steps.findIndex((step) => step.text === 'confirm') < customer.nextStep;
    const paid = customer.steps.findIndex((step) => step.actor === 'staff') < customer.nextStep;
    const expectedOrders = confirmed ? 1 : 0;
    const expectedPayments = paid ? 1 : 0;
    orders += expectedOrders;
    payments += expectedPayments;
    if ((record?.orders ?? 0) !== expectedOrders || (confirmed && Number(record?.total_minor) !== customer.totalMinor))
      wrongOrders.push(`${customer.number}: ${record?.orders ?? 0} orders of ${record?.total_minor}`);
    if (
      (record?.payments ?? 0) !== expectedPayments ||
      (record?.invoices ?? 0) !== expectedPayments ||
      (paid && Number(record?.paid_minor) !== customer.totalMinor)
    )
      wrongPayments.push(`${customer.number}: ${record?.payments ?? 0} payments, ${record?.invoices ?? 0} invoices`);
  }
  const gaps = await invoiceNumberGaps(db);
  return [
    {
      check: `one order per customer who confirmed (${orders}), at their cart's total`,
      ok: wrongOrders.length === 0,
      detail: wrongOrders.slice(0, 5).join(' | ') || undefined,
    },
    {
      check: `one payment and one invoice per recorded transfer (${payments}), for the order's total`,
      ok: wrongPayments.length === 0,
      detail: wrongPayments.slice(0, 5).join(' | ') || undefined,
    },
    {
      check: 'invoice numbers without gaps or repeats in each business',
      ok: gaps.length === 0,
      detail: gaps.join(' | ') || undefined,
    },
  ];
}

async function invoiceNumberGaps(db: pg.Pool): Promise<string[]> {
  const { rows } = await db.query<{ tenant_id: string; count: number; distinct_numbers: number; max_sequence: number }>(
    `SELECT tenant_id, count(*)::int AS count, count(DISTINCT number)::int AS distinct_numbers,
            max(sequence)::int AS max_sequence
       FROM invoices GROUP BY tenant_id`,
  );
  return rows
    .filter((row) => row.count !== row.distinct_numbers || row.count !== row.max_sequence)
    .map(
      (row) => `${row.tenant_id}: ${row.count} invoices, ${row.distinct_numbers} numbers, up to ${row.max_sequence}`,
    );
}
