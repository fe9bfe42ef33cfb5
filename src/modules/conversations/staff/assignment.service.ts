import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { CONVERSATION_EVENT, type ConversationEvent, type TenantEvent } from '../events/conversation-events.js';
import { pickAssignee } from './staff-actions.js';
import { ConversationEventsPublisher } from '../events/conversation-events.publisher.js';
import { WAITING_SINCE } from './staff-conversation.view.js';

/** Open conversations one person is given automatically, unless the business sets another cap. */
export const DEFAULT_MAX_OPEN_PER_AGENT = 5;

export interface Assignment {
  conversationId: string;
  assigneeId: string;
}

/**
 * Serialises every change to who holds what in one tenant. Auto-assignment counts each
 * person's load and then assigns; two of them running at once would both see the same
 * free slot and exceed the cap. Taken first in any transaction that moves assignments, so
 * the lock order (this lock, then conversation rows) is the same everywhere.
 */
export async function lockAssignments(tx: EntityManager, scope: TenantScope): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('assign:' || $1, 0))`, [scope.tenantId]);
}

export const assignedEvents = (assignments: readonly Assignment[]): ConversationEvent[] =>
  assignments.map((a) => ({
    type: 'conversation.assigned',
    conversationId: a.conversationId,
    assigneeId: a.assigneeId,
  }));

/**
 * Gives waiting (escalated, unassigned) conversations to available members, oldest
 * waiting first, each to the person with the fewest open conversations under the cap;
 * among equals, the one available longest. Nobody available, or everyone at the cap: the
 * conversation waits, and is picked up when someone becomes available or a slot frees.
 */
@Injectable()
export class AssignmentService {
  private readonly logger = new Logger(AssignmentService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly events: ConversationEventsPublisher,
  ) {}

  /** Assigns what can be assigned now, in its own transaction. */
  async assignWaiting(tenantId: string): Promise<Assignment[]> {
    const scope = { tenantId };
    const assignments = await this.tenantDb.run(scope, async (tx) => {
      await lockAssignments(tx, scope);
      return this.assignWaitingIn(tx, scope);
    });
    await this.events.publish(tenantId, assignedEvents(assignments));
    return assignments;
  }

  /** Inside a tenant transaction that already holds `lockAssignments`. */
  async assignWaitingIn(tx: EntityManager, scope: TenantScope): Promise<Assignment[]> {
    const cap = await this.maxOpenPerAgent(tx, scope);
    const people = await tx.query<{ userId: string; open: number }[]>(
      `SELECT a.user_id AS "userId", count(c.id)::int AS open
         FROM staff_availability a
         LEFT JOIN conversations c
           ON c.tenant_id = a.tenant_id AND c.assignee_id = a.user_id AND c.mode IN ('escalated', 'human')
        WHERE a.tenant_id = $1 AND a.status = 'available'
        GROUP BY a.user_id, a.updated_at
        ORDER BY a.updated_at, a.user_id`,
      [scope.tenantId],
    );
    const free = people.reduce((sum, person) => sum + Math.max(0, cap - person.open), 0);
    if (free === 0) return [];
    // Locked rows are re-checked after any wait: one the engine or a person just took is skipped.
    const waiting = await tx.query<{ id: string }[]>(
      `SELECT c.id FROM conversations c
        WHERE c.tenant_id = $1 AND c.mode = 'escalated' AND c.assignee_id IS NULL
        ORDER BY ${WAITING_SINCE}, c.id
        LIMIT $2
        FOR UPDATE`,
      [scope.tenantId, free],
    );
    const assignments: Assignment[] = [];
    for (const { id } of waiting) {
      const person = pickAssignee(people, cap);
      if (!person) break;
      person.open += 1;
      await tx.query(`UPDATE conversations SET assignee_id = $3 WHERE tenant_id = $1 AND id = $2`, [
        scope.tenantId,
        id,
        person.userId,
      ]);
      await this.audit.recordIn(tx, scope, {
        action: 'conversation.assigned',
        actorType: 'system',
        target: { type: 'conversation', id },
        details: { assigneeId: person.userId, previousAssigneeId: null, automatic: true },
      });
      assignments.push({ conversationId: id, assigneeId: person.userId });
    }
    return assignments;
  }

  async maxOpenPerAgent(tx: EntityManager, scope: TenantScope): Promise<number> {
    const [row] = await tx.query<{ max_open_per_agent: number }[]>(
      `SELECT max_open_per_agent FROM inbox_settings WHERE tenant_id = $1`,
      [scope.tenantId],
    );
    return row?.max_open_per_agent ?? DEFAULT_MAX_OPEN_PER_AGENT;
  }

  /**
   * The engine escalated a conversation. Emitted after its transaction commits, so the
   * conversation is visible here; a failure only delays the assignment to the next
   * trigger (someone becoming available, a slot freeing), so it is logged, not thrown.
   */
  @OnEvent(CONVERSATION_EVENT)
  async onConversationEvent(payload: TenantEvent): Promise<void> {
    if (payload.event.type !== 'conversation.escalated') return;
    try {
      await this.assignWaiting(payload.tenantId);
    } catch (error) {
      this.logger.error({ tenantId: payload.tenantId, err: error }, 'auto-assignment failed');
    }
  }
}
