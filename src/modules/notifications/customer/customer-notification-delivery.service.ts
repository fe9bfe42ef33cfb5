import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { afterCommit, TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { OutboxService } from '../../channels/outbox/outbox.service.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import type { ConversationEvent } from '../../conversations/events/conversation-events.js';
import { ConversationEventsPublisher } from '../../conversations/events/conversation-events.publisher.js';
import { MessagesService } from '../../conversations/messages.service.js';
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
}

/**
 * Delivers an order's notifications in the order they were recorded, in one tenant
 * transaction with their rows locked: a second job for the same order waits, then finds
 * them settled, so a retried or repeated job never sends twice. Sending means writing
 * the transcript and outbox rows; the outbound worker talks to the provider.
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
    await this.tenantDb.run(scope, async (tx) => {
      const rows = await lockUnsettled(tx, scope, job.orderId);
      if (!rows.some((row) => row.status === 'pending' || row.refused)) return;
      const order = await this.orders.detail(tx, scope, job.orderId);
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
      for (const row of rows) await this.settle(tx, scope, batch, row);
      for (const [reason, kinds] of batch.unreachable) {
        this.logger.log({ tenantId: job.tenantId, orderId: job.orderId, reason, kinds }, 'customer not reachable');
        await this.staffNotices.alert(tx, scope, {
          kind: 'customer_unreachable',
          orderId: job.orderId,
          summary: undeliverableSummary(kinds, order.number, reason),
        });
      }
      if (batch.written.length) afterCommit(tx, () => this.wake(scope, batch.written));
    });
  }

  private async settle(tx: EntityManager, scope: TenantScope, batch: Batch, row: UnsettledRow): Promise<void> {
    if (row.status !== 'pending' && !row.refused) return;
    const recipient = await this.recipient(tx, scope, batch, row.conversationId);
    const notice = { ...row.notice, orderId: row.orderId, kind: row.kind, key: row.key };
    const plan: NoticePlan =
      row.status === 'pending'
        ? planNotice(notice, batch.facts, recipient, batch.template)
        : fallbackPlan(notice, batch.facts, recipient, batch.template);
    if (!plan.send) {
      await tx.query(
        `UPDATE customer_notifications SET status = 'undeliverable', reason = $3, settled_at = coalesce(settled_at, now()),
           fell_back_at = CASE WHEN status = 'sent' THEN now() END
         WHERE tenant_id = $1 AND id = $2`,
        [scope.tenantId, row.id, plan.reason],
      );
      batch.unreachable.set(plan.reason, [...(batch.unreachable.get(plan.reason) ?? []), row.kind]);
      return;
    }
    const written = await this.write(tx, scope, row.conversationId, recipient.channelId, plan);
    batch.written.push(written);
    await tx.query(
      `UPDATE customer_notifications SET status = 'sent', channel = $3, delivered_as = $4, message_id = $5,
         settled_at = coalesce(settled_at, now()),
         fell_back_at = CASE WHEN status = 'sent' THEN now() END,
         reason = CASE WHEN status = 'sent' THEN 'free-form refused outside the 24-hour window: sent as a template' END
       WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, row.id, recipient.channel, plan.deliveredAs, written.messageId],
    );
  }

  private async write(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    channelId: string,
    plan: NoticePlan & { send: true },
  ): Promise<Written> {
    const outboxId = await this.messages.recordReply(
      tx,
      scope,
      { id: conversationId, channelId },
      { source: 'system', payload: plan.payload },
    );
    // The transcript message behind the outbox row: what staff see and what statuses update.
    const [{ messageId }] = await tx.query<{ messageId: string }[]>(
      `SELECT message_id AS "messageId" FROM outbox_messages WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, outboxId],
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
