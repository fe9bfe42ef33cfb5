import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import {
  AssignmentService,
  assignedEvents,
  DEFAULT_MAX_OPEN_PER_AGENT,
  lockAssignments,
} from './assignment.service.js';
import type { PutInboxSettingsDto } from './dto/inbox-settings.dto.js';
import { ConversationEventsPublisher } from '../events/conversation-events.publisher.js';

export interface InboxSettingsView {
  maxOpenPerAgent: number;
  /** Null while the business uses the defaults. */
  updatedAt: string | null;
}

/** How auto-assignment shares conversations out, per business. */
@Injectable()
export class InboxSettingsService {
  private readonly logger = new Logger(InboxSettingsService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly assignment: AssignmentService,
    private readonly events: ConversationEventsPublisher,
  ) {}

  get(scope: TenantScope): Promise<InboxSettingsView> {
    return this.tenantDb.run(scope, (tx) => this.read(tx, scope));
  }

  /** A raised cap frees slots at once; a lowered one takes nothing away from anyone. */
  async put(ctx: TenantContext, dto: PutInboxSettingsDto, origin: RequestOrigin): Promise<InboxSettingsView> {
    const { view, assignments } = await this.tenantDb.run(ctx, async (tx) => {
      await lockAssignments(tx, ctx);
      await tx.query(
        `INSERT INTO inbox_settings (tenant_id, max_open_per_agent, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET max_open_per_agent = excluded.max_open_per_agent,
           updated_by = excluded.updated_by`,
        [ctx.tenantId, dto.maxOpenPerAgent, ctx.userId],
      );
      await this.audit.recordIn(tx, ctx, {
        action: 'inbox.settings_changed',
        actorUserId: ctx.userId,
        origin,
        details: { maxOpenPerAgent: dto.maxOpenPerAgent },
      });
      const assignments = await this.assignment.assignWaitingIn(tx, ctx);
      return { view: await this.read(tx, ctx), assignments };
    });
    await this.events.publish(ctx.tenantId, assignedEvents(assignments));
    return view;
  }

  private async read(tx: EntityManager, scope: TenantScope): Promise<InboxSettingsView> {
    const [row] = await tx.query<{ max_open_per_agent: number; updated_at: Date }[]>(
      `SELECT max_open_per_agent, updated_at FROM inbox_settings WHERE tenant_id = $1`,
      [scope.tenantId],
    );
    return row
      ? { maxOpenPerAgent: row.max_open_per_agent, updatedAt: row.updated_at.toISOString() }
      : { maxOpenPerAgent: DEFAULT_MAX_OPEN_PER_AGENT, updatedAt: null };
  }
}
