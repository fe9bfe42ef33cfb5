import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { AssignmentService, assignedEvents, lockAssignments } from './assignment.service.js';
import type { Availability } from './dto/availability.dto.js';
import { ConversationEventsPublisher } from '../events/conversation-events.publisher.js';

export interface AvailabilityView {
  status: Availability;
  /** When the status last changed; null for someone who never set one (away). */
  since: string | null;
}

/**
 * Whether a member takes new conversations. Nobody is available until they say so:
 * auto-assignment never hands work to someone who has not opened the inbox.
 */
@Injectable()
export class AvailabilityService {
  private readonly logger = new Logger(AvailabilityService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly assignment: AssignmentService,
    private readonly events: ConversationEventsPublisher,
  ) {}

  get(ctx: TenantContext): Promise<AvailabilityView> {
    return this.tenantDb.run(ctx, (tx) => this.read(tx, ctx));
  }

  /**
   * Sets the caller's status. Becoming available takes waiting conversations at once. Going
   * away keeps what the person holds: they hand those over explicitly (assign, escalate).
   */
  async set(ctx: TenantContext, status: Availability, origin: RequestOrigin): Promise<AvailabilityView> {
    const { view, assignments } = await this.tenantDb.run(ctx, async (tx) => {
      await lockAssignments(tx, ctx);
      const before = await this.read(tx, ctx);
      // Saying "available" again keeps one's place: the time is when the status changed.
      await tx.query(
        `INSERT INTO staff_availability (tenant_id, user_id, status) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, user_id) DO UPDATE SET status = excluded.status,
           updated_at = CASE WHEN staff_availability.status = excluded.status
                             THEN staff_availability.updated_at ELSE now() END`,
        [ctx.tenantId, ctx.userId, status],
      );
      if (before.status !== status || before.since === null)
        await this.audit.recordIn(tx, ctx, {
          action: 'inbox.availability_changed',
          actorUserId: ctx.userId,
          target: { type: 'user', id: ctx.userId },
          origin,
          details: { status },
        });
      const assignments = status === 'available' ? await this.assignment.assignWaitingIn(tx, ctx) : [];
      return { view: await this.read(tx, ctx), assignments };
    });
    await this.events.publish(ctx.tenantId, assignedEvents(assignments));
    return view;
  }

  private async read(tx: EntityManager, ctx: TenantContext): Promise<AvailabilityView> {
    const [row] = await tx.query<{ status: Availability; updated_at: Date }[]>(
      `SELECT status, updated_at FROM staff_availability WHERE tenant_id = $1 AND user_id = $2`,
      [ctx.tenantId, ctx.userId],
    );
    return row ? { status: row.status, since: row.updated_at.toISOString() } : { status: 'away', since: null };
  }
}
