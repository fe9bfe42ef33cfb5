import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { hostileJson, hostileString, numericString } from './hostile-values.js';
import { ABSENT, nearValidField, nearValidRecord, withExtraFields } from './property-runs.js';

/** Paystack's signature: hex HMAC-SHA512 of the body bytes, keyed with the business's secret key. */
export const paystackSignature = (body: string | Buffer, secretKey: string) =>
  createHmac('sha512', secretKey).update(body).digest('hex');

const EVENTS = [
  'charge.success',
  'refund.processed',
  'refund.failed',
  'refund.pending',
  'charge.dispute.create',
  'charge.dispute.resolve',
  'transfer.success',
];

const hostile = hostileJson(['event', 'data', 'reference', 'id', 'amount', 'metadata']);
const field = (plausible: fc.Arbitrary<unknown>) => nearValidField(plausible, hostile);
const optional = (plausible: fc.Arbitrary<unknown>) => nearValidField(plausible, hostile, { optional: true });

/** References up to and just past the 200 characters the store allows. */
const reference = fc.oneof(
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9.=-]{1,40}$/) },
  { weight: 2, arbitrary: fc.integer({ min: 196, max: 201 }).map((length) => 'r'.repeat(length)) },
  { weight: 1, arbitrary: hostileString },
);

const metadata = fc
  .record({ tenant_id: fc.oneof(fc.uuid(), hostileString), order_id: fc.uuid(), order_number: fc.nat() })
  .chain((ours) => fc.constantFrom<unknown>(ours, JSON.stringify(ours), '', null, '{'));

/** A Paystack event body: known and invented names, data fields plausible, hostile or missing. */
export const paystackEvent: fc.Arbitrary<Record<string, unknown>> = withExtraFields(
  nearValidRecord({
    event: field(
      fc.oneof(
        fc.constantFrom(...EVENTS),
        fc.stringMatching(/^[a-z0-9_.]{1,100}$/),
        // Names as long as the parser accepts: the dedupe key must still fit its column.
        fc.integer({ min: 95, max: 100 }).map((length) => `refund.${'x'.repeat(length - 7)}`),
      ),
    ),
    data: field(
      nearValidRecord({
        // Often without an id, so that events are also known by their reference.
        id: fc.oneof(optional(fc.oneof(fc.nat(), fc.string({ maxLength: 120 }))), fc.constant(ABSENT)),
        reference: optional(reference),
        transaction_reference: optional(reference),
        transaction: optional(nearValidRecord({ reference: field(reference) })),
        amount: optional(fc.oneof(fc.nat(), numericString)),
        currency: optional(fc.constantFrom('NGN', 'ngn', 'USD', 'NGNX')),
        status: optional(fc.constantFrom('success', 'failed', 'reversed')),
        paid_at: optional(fc.date({ noInvalidDate: true }).map((date) => date.toISOString())),
        metadata: optional(metadata),
      }),
    ),
  }),
  ['data', 'event'],
  hostile,
);
