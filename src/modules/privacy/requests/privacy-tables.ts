/**
 * Every table that holds a tenant's data, and what privacy does to it: whether and how it
 * is exported, and what a contact's erasure does to it. The one place to look, and to add
 * a new table (a test fails for any table with a `tenant_id` column missing here).
 *
 * SQL fragments name the table `t` and use these values:
 * - `:tenantId`, `:contactId` — the tenant and, for a contact, the contact;
 * - `:channelId`, `:externalRef` — the contact's channel and identity there, as they were
 *   before erasure (inbox rows and web chat sessions are keyed by them, not by contact);
 * - `:erasedRef`, `:erasedName` — the pseudonyms that replace them.
 */

/** Markers that replace personal data in records that are kept (the invoices migration checks them). */
export const ERASED = '[erased]';
export const erasedName = (contactId: string) => `Erased customer ${contactId.replace(/-/g, '').slice(0, 8)}`;
export const erasedRef = (contactId: string) => `erased:${contactId}`;
export const isErasedRef = (externalRef: string) => externalRef.startsWith('erased:');

export interface ExportRule {
  /**
   * Columns whose values order the rows and identify one within the tenant: the keyset.
   * An index must lead with `tenant_id` and then these columns, or every page of a large
   * table would be a full scan and sort.
   */
  key: string[];
  /** Columns never exported: secrets and token hashes. */
  omit?: string[];
  /** The rows that concern one contact; without it the table is in whole-tenant exports only. */
  ofContact?: string;
  /** The column naming the tenant, when it is not `tenant_id`. */
  tenantColumn?: string;
}

export type ErasureRule =
  | { action: 'delete'; where: string }
  | { action: 'pseudonymise'; set: string; where: string }
  /** Removed by a foreign key's cascade when rows of `parent` are deleted. */
  | { action: 'removed_with'; parent: string }
  | { action: 'keep'; why: string };

export interface PrivacyTable {
  table: string;
  export: ExportRule | { skip: string };
  erasure: ErasureRule;
}

const OF_CONVERSATIONS = `t.conversation_id IN (SELECT c.id FROM conversations c WHERE c.tenant_id = :tenantId AND c.contact_id = :contactId)`;
const ORDERS = `SELECT o.id FROM orders o WHERE o.tenant_id = :tenantId AND o.contact_id = :contactId`;
const OF_ORDERS = `t.order_id IN (${ORDERS})`;
const OF_CONTACT = `t.contact_id = :contactId`;
const PAYMENT_EVENTS = `t.id IN (SELECT pt.event_id FROM payment_transactions pt WHERE pt.tenant_id = :tenantId AND pt.order_id IN (${ORDERS}))
  OR t.reference IN (SELECT pa.reference FROM payment_attempts pa WHERE pa.tenant_id = :tenantId AND pa.order_id IN (${ORDERS}))`;
const NOT_CUSTOMER_DATA = 'the business’s own settings and records, not its customers’';

export const PRIVACY_TABLES: readonly PrivacyTable[] = [
  {
    table: 'tenants',
    export: { key: ['id'], tenantColumn: 'id' },
    erasure: { action: 'keep', why: NOT_CUSTOMER_DATA },
  },
  {
    table: 'contacts',
    export: { key: ['created_at', 'id'], ofContact: `t.id = :contactId` },
    erasure: {
      action: 'pseudonymise',
      set: `display_name = NULL, phone = NULL, external_ref = :erasedRef`,
      where: `t.id = :contactId`,
    },
  },
  {
    table: 'conversations',
    export: { key: ['id'], ofContact: OF_CONTACT },
    // The conversation stays (orders point at it); the delivery details it collected go.
    erasure: { action: 'pseudonymise', set: `checkout_draft = '{}'::jsonb`, where: OF_CONTACT },
  },
  {
    table: 'messages',
    export: { key: ['conversation_id', 'created_at', 'id'], ofContact: OF_CONVERSATIONS },
    erasure: { action: 'delete', where: OF_CONVERSATIONS },
  },
  {
    table: 'outbox_messages',
    export: { skip: 'the delivery queue of replies that messages already holds' },
    erasure: { action: 'removed_with', parent: 'messages' },
  },
  {
    table: 'ai_turns',
    export: { key: ['message_id'], ofContact: OF_CONVERSATIONS },
    erasure: { action: 'removed_with', parent: 'messages' },
  },
  {
    table: 'inbox_messages',
    export: {
      key: ['id'],
      ofContact: `(t.channel_id, t.customer_ref) IN (SELECT ct.channel_id, ct.external_ref FROM contacts ct WHERE ct.tenant_id = :tenantId AND ct.id = :contactId)`,
    },
    erasure: { action: 'delete', where: `t.channel_id = :channelId AND t.customer_ref = :externalRef` },
  },
  {
    table: 'webchat_sessions',
    export: {
      key: ['id'],
      omit: ['token_hash'],
      ofContact: `t.id::text IN (SELECT ct.external_ref FROM contacts ct WHERE ct.tenant_id = :tenantId AND ct.id = :contactId AND ct.channel_id = t.channel_id)`,
    },
    // A web chat customer's session id is their identity on that channel.
    erasure: { action: 'delete', where: `t.channel_id = :channelId AND t.id::text = :externalRef` },
  },
  {
    table: 'carts',
    export: { key: ['id'], ofContact: OF_CONVERSATIONS },
    erasure: { action: 'delete', where: OF_CONVERSATIONS },
  },
  {
    table: 'cart_items',
    export: {
      key: ['cart_id', 'product_id'],
      ofContact: `t.cart_id IN (SELECT ca.id FROM carts ca WHERE ca.tenant_id = :tenantId AND ${OF_CONVERSATIONS.replace('t.conversation_id', 'ca.conversation_id')})`,
    },
    erasure: { action: 'removed_with', parent: 'carts' },
  },
  {
    table: 'contact_consents',
    export: { key: ['contact_id', 'purpose'], ofContact: OF_CONTACT },
    erasure: {
      action: 'keep',
      why: 'ids, purposes and times only: the proof of what the customer agreed to or refused',
    },
  },
  {
    table: 'consent_events',
    export: { key: ['id'], ofContact: OF_CONTACT },
    erasure: { action: 'keep', why: 'ids, purposes and times only: the history of that proof' },
  },
  {
    table: 'orders',
    export: { key: ['created_at', 'id'], ofContact: OF_CONTACT },
    // Kept by law, and the totals with them; who it was for is pseudonymised.
    erasure: {
      action: 'pseudonymise',
      set: `delivery = CASE WHEN t.delivery ? 'pickup'
              THEN jsonb_build_object('name', :erasedName::text, 'phone', '${ERASED}', 'pickup', true)
              ELSE jsonb_build_object('name', :erasedName::text, 'phone', '${ERASED}', 'address', '${ERASED}') END`,
      where: OF_CONTACT,
    },
  },
  {
    table: 'order_items',
    export: { key: ['order_id', 'position'], ofContact: OF_ORDERS },
    erasure: { action: 'keep', why: 'what was bought: product snapshots and prices, nothing about the buyer' },
  },
  {
    table: 'order_transitions',
    export: { key: ['order_id', 'created_at', 'id'], ofContact: OF_ORDERS },
    erasure: { action: 'keep', why: 'the order’s status history (append-only), nothing about the buyer' },
  },
  {
    table: 'invoices',
    export: { key: ['issued_at', 'id'], ofContact: OF_ORDERS },
    erasure: {
      action: 'pseudonymise',
      set: `customer_name = :erasedName, customer_phone = '${ERASED}',
            customer_address = CASE WHEN t.customer_address IS NULL THEN NULL ELSE '${ERASED}' END`,
      where: OF_ORDERS,
    },
  },
  {
    table: 'invoice_lines',
    export: {
      key: ['invoice_id', 'position'],
      ofContact: `t.invoice_id IN (SELECT i.id FROM invoices i WHERE i.tenant_id = :tenantId AND i.order_id IN (${ORDERS}))`,
    },
    erasure: { action: 'keep', why: 'what was invoiced, nothing about the buyer' },
  },
  {
    table: 'payment_requests',
    export: { key: ['id'], ofContact: OF_ORDERS },
    erasure: { action: 'keep', why: 'which way to pay was offered for an order, nothing about the buyer' },
  },
  {
    table: 'payment_attempts',
    export: { key: ['id'], omit: ['access_code'], ofContact: OF_ORDERS },
    erasure: { action: 'keep', why: 'our references and amounts for checkout links, nothing about the buyer' },
  },
  {
    table: 'payment_events',
    export: { key: ['id'], ofContact: PAYMENT_EVENTS },
    // The provider's record of a payment is kept; its copy of the payer is not.
    erasure: {
      action: 'pseudonymise',
      set: `payload = privacy_scrubbed_payment_payload(t.payload)`,
      where: PAYMENT_EVENTS,
    },
  },
  {
    table: 'payment_transactions',
    export: { key: ['order_id', 'created_at', 'id'], ofContact: OF_ORDERS },
    erasure: { action: 'keep', why: 'the ledger: amounts and references, kept by law' },
  },
  {
    table: 'customer_notifications',
    export: { key: ['id'], ofContact: OF_ORDERS },
    // Erased messages unlink themselves (ON DELETE SET NULL).
    erasure: { action: 'keep', why: 'which order updates were sent and how, nothing about the buyer' },
  },
  {
    table: 'privacy_requests',
    export: { skip: 'requests about the data, not the data' },
    erasure: { action: 'keep', why: 'the record of the request itself: ids and counts' },
  },
  {
    table: 'erased_identities',
    export: { skip: 'keyed hashes, meaningless outside the platform' },
    erasure: { action: 'keep', why: 'written by erasure: a keyed hash, not the identity' },
  },
  {
    table: 'meta_deletion_erasures',
    export: { skip: 'the platform’s record of Meta’s data-deletion callbacks: ids only' },
    erasure: { action: 'keep', why: 'ids only: which erasure a Meta callback scheduled' },
  },
  {
    table: 'audit_log',
    export: { key: ['created_at', 'id'] },
    erasure: { action: 'keep', why: 'holds no personal data by rule (ids, counts, field names)' },
  },
  { table: 'memberships', export: { key: ['user_id'] }, erasure: { action: 'keep', why: NOT_CUSTOMER_DATA } },
  {
    table: 'invitations',
    export: { key: ['created_at', 'id'], omit: ['token_hash'] },
    erasure: { action: 'keep', why: NOT_CUSTOMER_DATA },
  },
  {
    table: 'channels',
    export: { key: ['id'], omit: ['access_token_sealed'] },
    erasure: { action: 'keep', why: NOT_CUSTOMER_DATA },
  },
  {
    table: 'channel_routes',
    export: { skip: 'the platform’s routing index: a copy of channels' },
    erasure: { action: 'keep', why: NOT_CUSTOMER_DATA },
  },
  { table: 'products', export: { key: ['id'] }, erasure: { action: 'keep', why: NOT_CUSTOMER_DATA } },
  { table: 'ai_settings', export: { key: ['tenant_id'] }, erasure: { action: 'keep', why: NOT_CUSTOMER_DATA } },
  { table: 'staff_availability', export: { key: ['user_id'] }, erasure: { action: 'keep', why: NOT_CUSTOMER_DATA } },
  { table: 'inbox_settings', export: { key: ['tenant_id'] }, erasure: { action: 'keep', why: NOT_CUSTOMER_DATA } },
  {
    table: 'payment_settings',
    export: { key: ['tenant_id'], omit: ['paystack_secret_key_sealed'] },
    erasure: { action: 'keep', why: NOT_CUSTOMER_DATA },
  },
  {
    table: 'notification_settings',
    export: { key: ['tenant_id'] },
    erasure: { action: 'keep', why: NOT_CUSTOMER_DATA },
  },
  { table: 'order_counters', export: { skip: 'a counter' }, erasure: { action: 'keep', why: 'a counter' } },
  { table: 'invoice_counters', export: { skip: 'a counter' }, erasure: { action: 'keep', why: 'a counter' } },
];

export type ExportedTable = PrivacyTable & { export: ExportRule };

export function isExported(table: PrivacyTable): table is ExportedTable {
  return !('skip' in table.export);
}
