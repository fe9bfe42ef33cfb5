import { Injectable, Logger } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import type { OutboundPayload } from '../../channels/outbox/outbound-payload.js';
import { OutboxService } from '../../channels/outbox/outbox.service.js';
import { messagingWindow } from '../../channels/pipeline/messaging-window.js';
import { nextMode } from '../conversation-state.js';
import type { ConversationEvent } from '../events/conversation-events.js';
import { MessagesService } from '../messages.service.js';
import type { MessageView } from '../staff-inbox/inbox.views.js';
import { lockAssignments } from './assignment.service.js';
import { lockConversation, readMessage } from './staff-conversation.view.js';
import { ConversationEventsPublisher } from '../events/conversation-events.publisher.js';
import { StaffErrors } from './staff.errors.js';

/**
 * A staff member's message to the customer. It goes out through the same outbox as the
 * bot's, recorded as `staff` so that delivery applies a human's window (Instagram's
 * HUMAN_AGENT tag). Replying takes the conversation: it becomes `human`, assigned to the
 * sender unless someone already holds it.
 */
@Injectable()
export class StaffRepliesService {
  private readonly logger = new Logger(StaffRepliesService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly messages: MessagesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly events: ConversationEventsPublisher,
  ) {}

  async reply(ctx: TenantContext, conversationId: string, text: string, origin: RequestOrigin): Promise<MessageView> {
    const payload: OutboundPayload = { kind: 'text', text };
    const result = await this.tenantDb.run(ctx, async (tx) => {
      // Assigning the sender changes their load: serialised with auto-assignment.
      await lockAssignments(tx, ctx);
      const conversation = await lockConversation(tx, ctx, conversationId);
      // Checked before anything is stored: a message the provider must refuse is refused
      // here, where the person can still choose a template or another channel.
      const window = messagingWindow(
        conversation.channelType,
        payload,
        conversation.lastInboundAt,
        true,
        conversation.now.getTime(),
      );
      if (!window.send) throw StaffErrors.outsideWindow(window.reason);
      const from = conversation.mode;
      const to = nextMode(from, 'human');
      const assigneeId = conversation.assigneeId ?? ctx.userId;
      // Replying implies having read what the customer wrote. Taking a conversation the
      // bot had starts its time with staff now, for the inbox's "waiting since".
      await tx.query(
        `UPDATE conversations c SET mode = $3, assignee_id = $4, last_message_at = now(),
           escalated_at = CASE WHEN c.mode IN ('bot', 'resolved') THEN now() ELSE c.escalated_at END,
           staff_read_at = greatest(c.staff_read_at,
             (SELECT max(m.created_at) FROM messages m
               WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.direction = 'in'))
         WHERE c.tenant_id = $1 AND c.id = $2`,
        [ctx.tenantId, conversation.id, to, assigneeId],
      );
      const { outboxId, messageId } = await this.messages.recordReply(tx, ctx, conversation, {
        source: 'staff',
        payload,
        authorUserId: ctx.userId,
      });
      const events: ConversationEvent[] = [
        { type: 'message.created', conversationId: conversation.id, messageId, direction: 'out', source: 'staff' },
      ];
      const target = { type: 'conversation', id: conversation.id };
      if (from !== to) {
        await this.audit.recordIn(tx, ctx, {
          action: 'conversation.taken_over',
          actorUserId: ctx.userId,
          target,
          origin,
          details: { from, to },
        });
        events.push({ type: 'conversation.mode_changed', conversationId: conversation.id, from, to });
      }
      if (assigneeId !== conversation.assigneeId) {
        await this.audit.recordIn(tx, ctx, {
          action: 'conversation.assigned',
          actorUserId: ctx.userId,
          target,
          origin,
          details: { assigneeId, previousAssigneeId: null, automatic: false, byReply: true },
        });
        events.push({ type: 'conversation.assigned', conversationId: conversation.id, assigneeId });
      }
      return {
        outboxId,
        conversation: { conversationId: conversation.id, channelId: conversation.channelId },
        message: await readMessage(tx, ctx, messageId),
        events,
      };
    });
    await this.outbox.notify(ctx, result.conversation, result.outboxId);
    await this.events.publish(ctx.tenantId, result.events);
    return result.message;
  }
}
