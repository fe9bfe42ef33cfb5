import { Injectable, Logger } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { Errors } from '../../../common/errors/app-error.js';
import { isUuid } from '../../../common/uuid.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { MembershipsService } from '../../tenants/memberships.service.js';
import type { ConversationEvent } from '../events/conversation-events.js';
import { AssignmentService, assignedEvents, lockAssignments } from './assignment.service.js';
import { isWithStaff, modeAfter, type StaffAction } from './staff-actions.js';
import { lockConversation, readConversation, type StaffConversationView } from './staff-conversation.view.js';
import { ConversationEventsPublisher } from '../events/conversation-events.publisher.js';
import { StaffErrors } from './staff.errors.js';

const AUDIT_ACTION: Record<StaffAction, string> = {
  escalate: 'conversation.escalated',
  resolve: 'conversation.resolved',
  return_to_bot: 'conversation.returned_to_bot',
};

// Each action leaves the conversation unassigned: an escalated one waits for the next
// free person, a resolved or bot one has nobody to hold it. Returning to the bot also
// clears what led to the escalation, so the next message is answered afresh.
const APPLY: Record<StaffAction, string> = {
  escalate: `mode = 'escalated', assignee_id = NULL, escalated_at = now()`,
  resolve: `mode = 'resolved', assignee_id = NULL, resolved_at = now(), misunderstandings = 0`,
  return_to_bot: `mode = 'bot', assignee_id = NULL, escalated_at = NULL, misunderstandings = 0`,
};

/** Staff hand-over actions: assign, escalate, resolve, return to the bot, mark read. */
@Injectable()
export class ConversationActionsService {
  private readonly logger = new Logger(ConversationActionsService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly memberships: MembershipsService,
    private readonly assignment: AssignmentService,
    private readonly events: ConversationEventsPublisher,
  ) {}

  async change(
    ctx: TenantContext,
    conversationId: string,
    action: StaffAction,
    origin: RequestOrigin,
  ): Promise<StaffConversationView> {
    const { view, events } = await this.tenantDb.run(ctx, async (tx) => {
      await lockAssignments(tx, ctx);
      const conversation = await lockConversation(tx, ctx, conversationId);
      const from = conversation.mode;
      const to = modeAfter(action, from);
      await tx.query(`UPDATE conversations SET ${APPLY[action]} WHERE tenant_id = $1 AND id = $2`, [
        ctx.tenantId,
        conversation.id,
      ]);
      await this.audit.recordIn(tx, ctx, {
        action: AUDIT_ACTION[action],
        actorUserId: ctx.userId,
        target: { type: 'conversation', id: conversation.id },
        origin,
        details: { from, to, previousAssigneeId: conversation.assigneeId },
      });
      const events: ConversationEvent[] = [
        { type: 'conversation.mode_changed', conversationId: conversation.id, from, to },
      ];
      if (conversation.assigneeId)
        events.push({ type: 'conversation.assigned', conversationId: conversation.id, assigneeId: null });
      if (to === 'escalated') events.push({ type: 'conversation.escalated', conversationId: conversation.id });
      // An escalation may be taken at once; a resolution frees a slot for one that waits.
      events.push(...assignedEvents(await this.assignment.assignWaitingIn(tx, ctx)));
      return { view: await readConversation(tx, ctx, conversation.id), events };
    });
    await this.events.publish(ctx.tenantId, events);
    return view;
  }

  /**
   * Gives the conversation to a member, or back to the queue with null. A person's choice
   * overrides the auto-assignment cap, which only limits what the system hands out.
   */
  async assign(
    ctx: TenantContext,
    conversationId: string,
    userId: string | null,
    origin: RequestOrigin,
  ): Promise<StaffConversationView> {
    if (!isUuid(conversationId)) throw Errors.notFound('Conversation');
    if (userId !== null && !(await this.memberships.find(ctx.tenantId, userId))) throw StaffErrors.memberNotFound();
    const { view, events } = await this.tenantDb.run(ctx, async (tx) => {
      await lockAssignments(tx, ctx);
      const conversation = await lockConversation(tx, ctx, conversationId);
      if (!isWithStaff(conversation.mode)) throw StaffErrors.notWithStaff(conversation.mode);
      const events: ConversationEvent[] = [];
      if (conversation.assigneeId !== userId) {
        await tx.query(`UPDATE conversations SET assignee_id = $3 WHERE tenant_id = $1 AND id = $2`, [
          ctx.tenantId,
          conversation.id,
          userId,
        ]);
        await this.audit.recordIn(tx, ctx, {
          action: 'conversation.assigned',
          actorUserId: ctx.userId,
          target: { type: 'conversation', id: conversation.id },
          origin,
          details: { assigneeId: userId, previousAssigneeId: conversation.assigneeId, automatic: false },
        });
        events.push({ type: 'conversation.assigned', conversationId: conversation.id, assigneeId: userId });
        // Taking it from someone frees one of their slots; unassigning puts it back in the queue.
        events.push(...assignedEvents(await this.assignment.assignWaitingIn(tx, ctx)));
      }
      return { view: await readConversation(tx, ctx, conversation.id), events };
    });
    await this.events.publish(ctx.tenantId, events);
    return view;
  }

  /**
   * Marks the customer's messages read up to the newest one this transaction sees: one
   * committed later is unread even if its timestamp is a moment older than this call.
   */
  async markRead(ctx: TenantContext, conversationId: string): Promise<StaffConversationView> {
    if (!isUuid(conversationId)) throw Errors.notFound('Conversation');
    return this.tenantDb.run(ctx, async (tx) => {
      const [, affected] = await tx.query<[unknown[], number]>(
        `UPDATE conversations c SET staff_read_at = greatest(c.staff_read_at,
           (SELECT max(m.created_at) FROM messages m
             WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.direction = 'in'))
         WHERE c.tenant_id = $1 AND c.id = $2`,
        [ctx.tenantId, conversationId],
      );
      if (!affected) throw Errors.notFound('Conversation');
      return readConversation(tx, ctx, conversationId);
    });
  }
}
