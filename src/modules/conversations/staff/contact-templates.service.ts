import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { Errors } from '../../../common/errors/app-error.js';
import { isUuid } from '../../../common/uuid.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import type { OutboundPayload } from '../../channels/outbox/outbound-payload.js';
import { OutboxService } from '../../channels/outbox/outbox.service.js';
import { ConsentErrors } from '../../privacy/consent/consent.errors.js';
import { ConsentService } from '../../privacy/consent/consent.service.js';
import { MessagesService } from '../messages.service.js';
import type { MessageView } from '../staff-inbox/inbox.views.js';
import { ContactTemplateErrors } from './contact-templates.errors.js';
import type { SendTemplateDto } from './dto/send-template.dto.js';
import { lockConversation, readMessage } from './staff-conversation.view.js';

/**
 * A marketing message a staff member sends a customer: a WhatsApp template, which may go
 * out at any time, so it needs the customer's marketing consent. Refused before anything
 * is stored when consent is withdrawn; delivery checks again when it sends, so a STOP that
 * arrives while the template waits in the outbox still wins.
 */
@Injectable()
export class ContactTemplatesService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly messages: MessagesService,
    private readonly outbox: OutboxService,
    private readonly consent: ConsentService,
    private readonly audit: AuditService,
  ) {}

  async send(ctx: TenantContext, contactId: string, dto: SendTemplateDto, origin: RequestOrigin): Promise<MessageView> {
    const payload: OutboundPayload = {
      kind: 'template',
      name: dto.name,
      languageCode: dto.languageCode,
      bodyParams: dto.bodyParams,
    };
    const queued = await this.tenantDb.run(ctx, async (tx) => {
      // Locked like a staff reply, so a STOP the engine is handling is decided first.
      const conversation = await lockConversation(tx, ctx, await this.conversationOf(tx, ctx, contactId));
      if (conversation.channelType !== 'whatsapp') throw ContactTemplateErrors.whatsappOnly(conversation.channelType);
      if (await this.consent.isWithdrawn(tx, ctx, contactId, 'marketing')) throw ConsentErrors.withdrawn();
      const { outboxId, messageId } = await this.messages.recordReply(tx, ctx, conversation, {
        source: 'staff',
        payload,
        authorUserId: ctx.userId,
      });
      await this.audit.recordIn(tx, ctx, {
        action: 'contact.template_sent',
        actorUserId: ctx.userId,
        target: { type: 'contact', id: contactId },
        origin,
        details: { template: dto.name, languageCode: dto.languageCode, messageId },
      });
      return { outboxId, conversation, message: await readMessage(tx, ctx, messageId) };
    });
    await this.outbox.notify(
      ctx,
      { conversationId: queued.conversation.id, channelId: queued.conversation.channelId },
      queued.outboxId,
    );
    return queued.message;
  }

  /**
   * The contact's conversation on its own channel. Another tenant's contact, and an erased
   * one (nobody to write to any more), are not found; a channel that cannot send is refused
   * now rather than failing in the outbox later.
   */
  private async conversationOf(tx: EntityManager, scope: TenantScope, contactId: string): Promise<string> {
    if (!isUuid(contactId)) throw Errors.notFound('Contact');
    const [row] = await tx.query<{ id: string; channelStatus: string }[]>(
      `SELECT c.id, ch.status AS "channelStatus" FROM contacts ct
         JOIN conversations c ON c.tenant_id = ct.tenant_id AND c.contact_id = ct.id AND c.channel_id = ct.channel_id
         JOIN channels ch ON ch.tenant_id = ct.tenant_id AND ch.id = ct.channel_id
        WHERE ct.tenant_id = $1 AND ct.id = $2 AND ct.external_ref NOT LIKE 'erased:%'`,
      [scope.tenantId, contactId],
    );
    if (!row) throw Errors.notFound('Contact');
    if (row.channelStatus !== 'active') throw ContactTemplateErrors.channelUnavailable(row.channelStatus);
    return row.id;
  }
}
