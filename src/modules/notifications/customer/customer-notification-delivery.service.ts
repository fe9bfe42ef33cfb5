import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { afterCommit, TenantDb, type TenantScope, withSavepoint } from '../../../database/tenant-db.js';
import { OutboxService } from '../../channels/outbox/outbox.service.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import type { ConversationEvent } from '../../conversations/events/conversation-events.js';
import { ConversationEventsPublisher } from '../../conversations/events/conversation-events.publisher.js';
import { MessagesService } from '../../conversations/messages.service.js';
import type { Tenant } from '../../tenants/entities/tenant.entity.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { NotificationSettingsService } from '../settings/notification-settings.service.js';
import { StaffNotices } from '../staff-notices/staff-notices.service.js';
import type { CustomerNotificationJob } from './customer-notification.job.js';
import {
  fallbackPlan,
  planNotice,
  undeliverableSummary,
  type NoticePlan,
  type UndeliverableReason,
  type WhatsAppTemplate,
} from './customer-notification-plan.js';
import type { NoticeFacts } from './customer-notification-texts.js';
import { lockUnsettled, readRecipient, type RecipientRow, type UnsettledRow } from './customer-notification.rows.js';
import {
  countFailedAttempt,
  markResentAsTemplate,
  markSent,
  markUndeliverable,
  MAX_DELIVERY_ATTEMPTS,
} from './customer-notification.updates.js';

interface Written {
  conversationId: string;
  channelId: string;
  outboxId: string;
  messageId: string;
}

interface Batch {
  facts: NoticeFacts;
  template: WhatsAppTemplate | null;
  recipients: Map<string, RecipientRow>;
  written: Written[];
  unreachable: Map<UndeliverableReason, string[]>;
  /** A notification failed but will be tried again: the order's later ones wait for it. */
  failure?: { error: unknown };
}

/**
 * Delivers an order's notifications in the order they were recorded, in one tenant
 * transaction with their rows locked: a second job for the same order waits, then finds
 * them settled, so a retried or repeated job never sends twice. Sending means writing
 * the transcript and outbox rows; the outbound worker talks to the provider. Each
 * notification is settled in its own savepoint: one that fails with an error is rolled
 * back alone and counted, and after a few attempts given up, so it cannot hold back the
 * order's later notifications for ever.
 */
@Injectable()
export class CustomerNotificationDelivery {
  private readonly logger = new Logger(CustomerNotificationDelivery.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly tenants: TenantsService,
    private readonly orders: OrdersService,
    private readonly messages: MessagesService,
    private readonly outbox: OutboxService,
    private readonly settings: NotificationSettingsService,
    private readonly staffNotices: StaffNotices,
    private readonly events: ConversationEventsPublisher,
  ) {}

  async deliver(job: CustomerNotificationJob): Promise<void> {
    const scope = { tenantId: job.tenantId };
    const tenant = await this.tenants.get(job.tenantId);
    // A suspended business says nothing; its notifications wait, and the sweeper skips them.
    if (tenant.status === 'suspended') return;
    const failure = await this.tenantDb.run(scope, (tx) => this.deliverIn(tx, scope, tenant, job.orderId));
    // The notifications before it have committed; the queue retries the rest with backoff.
    if (failure) throw failure.error;
  }

  private async deliverIn(
    tx: EntityManager,
    scope: TenantScope,
    tenant: Tenant,
    orderId: string,
  ): Promise<Batch['failure']> {
    const rows = (await lockUnsettled(tx, scope, orderId)).filter((row) => row.status === 'pending' || row.refused);
    if (rows.length === 0) return undefined;
    const order = await this.orders.detail(tx, scope, orderId);
    const batch: Batch = {
      facts: {
        businessName: tenant.name,
        locale: tenant.locale,
        orderNumber: order.number,
        currency: order.currency,
        totalMinor: order.totalMinor,
        paid: order.paymentStatus === 'paid',
        pickup: 'pickup' in order.delivery,
      },
      template: (await this.settings.getIn(tx, scope)).whatsappTemplate,
      recipients: new Map(),
      written: [],
      unreachable: new Map(),
    };
    for (const row of rows) {
      try {
        await withSavepoint(tx, 'customer_notification', () => this.settle(tx, scope, batch, row));
      } catch (error) {
        if (!(await this.givenUpAfter(tx, scope, batch, row, error))) {
          batch.failure = { error };
          break;
        }
      }
    }
    for (const [reason, kinds] of batch.unreachable) {
      this.logger.log({ tenantId: scope.tenantId, orderId, reason, kinds }, 'customer not reachable');
      await this.staffNotices.alert(tx, scope, {
        kind: 'customer_unreachable',
        orderId,
        summary: undeliverableSummary(kinds, order.number, reason),
      });
    }
    if (batch.written.length) afterCommit(tx, () => this.wake(scope, batch.written));
    return batch.failure;
  }

  /** Sends one notification, or gives it up when the customer cannot be reached. The batch changes last. */
  private async settle(tx: EntityManager, scope: TenantScope, batch: Batch, row: UnsettledRow): Promise<void> {
    const recipient = await this.recipient(tx, scope, batch, row.conversationId);
    const notice = { ...row.notice, orderId: row.orderId, kind: row.kind, key: row.key };
    const firstSend = row.status === 'pending';
    const plan: NoticePlan = firstSend
      ? planNotice(notice, batch.facts, recipient, batch.template)
      : fallbackPlan(notice, batch.facts, recipient, batch.template);
    if (!plan.send) {
      await markUndeliverable(tx, scope, row, plan.reason);
      addUnreachable(batch, plan.reason, row);
      return;
    }
    const written = await this.write(tx, scope, row.conversationId, recipient.channelId, plan);
    const sent = { channel: recipient.channel, deliveredAs: plan.deliveredAs, messageId: written.messageId };
    if (firstSend) await markSent(tx, scope, row.id, sent);
    else await markResentAsTemplate(tx, scope, row.id, sent);
    batch.written.push(written);
  }

  /** Counts the failed delivery; past the limit the notification is given up. Returns whether it was. */
  private async givenUpAfter(
    tx: EntityManager,
    scope: TenantScope,
    batch: Batch,
    row: UnsettledRow,
    error: unknown,
  ): Promise<boolean> {
    const attempts = await countFailedAttempt(tx, scope, row.id, error);
    const givenUp = attempts >= MAX_DELIVERY_ATTEMPTS;
    this.logger.error(
      { err: error, tenantId: scope.tenantId, orderId: row.orderId, notificationId: row.id, attempts, givenUp },
      'customer notification failed',
    );
    if (givenUp) {
      await markUndeliverable(tx, scope, row, 'delivery_failed');
      addUnreachable(batch, 'delivery_failed', row);
    }
    return givenUp;
  }

  private async write(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    channelId: string,
    plan: NoticePlan & { send: true },
  ): Promise<Written> {
    const { outboxId, messageId } = await this.messages.recordReply(
      tx,
      scope,
      { id: conversationId, channelId },
      { source: 'system', payload: plan.payload },
    );
    return { conversationId, channelId, outboxId, messageId };
  }

  private async recipient(
    tx: EntityManager,
    scope: TenantScope,
    batch: Batch,
    conversationId: string,
  ): Promise<RecipientRow> {
    let recipient = batch.recipients.get(conversationId);
    if (!recipient) {
      recipient = await readRecipient(tx, scope, conversationId);
      batch.recipients.set(conversationId, recipient);
    }
    return recipient;
  }

  /** After commit: wake the outbound worker, and tell staff's open inboxes. */
  private async wake(scope: TenantScope, written: Written[]): Promise<void> {
    const last = new Map(written.map((w) => [w.conversationId, w]));
    for (const w of last.values())
      await this.outbox.notify(scope, { conversationId: w.conversationId, channelId: w.channelId }, w.outboxId);
    const events = written.map((w): ConversationEvent => ({
      type: 'message.created',
      conversationId: w.conversationId,
      messageId: w.messageId,
      direction: 'out',
      source: 'system',
    }));
    await this.events.publish(scope.tenantId, events);
  }
}

function addUnreachable(batch: Batch, reason: UndeliverableReason, row: UnsettledRow): void {
  batch.unreachable.set(reason, [...(batch.unreachable.get(reason) ?? []), row.kind]);
}
