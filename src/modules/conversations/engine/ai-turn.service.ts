import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { BreakerOpenError } from '../../ai/llm/breakers.js';
import { LlmError } from '../../ai/llm/llm-client.js';
import { AiSettingsService } from '../../ai/settings/ai-settings.service.js';
import { AiResponder, AiToolError, type AiTurnResult } from '../../ai/turns/ai-responder.js';
import { CartService } from '../../commerce/cart.service.js';
import { CatalogService } from '../../commerce/catalog.service.js';
import { botAnswers } from '../conversation-state.js';
import { Conversation } from '../entities/conversation.entity.js';
import { CheckoutFlow } from './checkout/checkout-flow.js';
import { CommandExecutor, type Execution } from './command-executor.js';
import { ConversationEngine, type InboundTurn, type TurnOutcome } from './conversation-engine.js';
import type { ReplyContext } from './replies.js';

export interface AiRequest {
  conversationId: string;
  messageId: string;
  inboxId: string;
  text: string;
  context: ReplyContext & { description: string | null };
}

// Beyond the model's own timeout: time to run tools and record the outcome.
const LEASE_MARGIN_MS = 15_000;

/**
 * Runs one AI turn outside any transaction: the model can take seconds, and a
 * transaction (and its locks) must never wait on a provider. The turn is claimed in
 * `ai_turns` first, so a retried job never pays the model twice for one message, and a
 * running turn holds back the customer's later messages until it is recorded.
 */
@Injectable()
export class AiTurnService {
  private readonly logger = new Logger(AiTurnService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly ai: AiResponder,
    private readonly settings: AiSettingsService,
    private readonly catalog: CatalogService,
    private readonly carts: CartService,
    private readonly executor: CommandExecutor,
    private readonly engine: ConversationEngine,
    private readonly checkout: CheckoutFlow,
    private readonly config: AppConfig,
  ) {}

  /** Answers the message and marks it processed; 'busy' when another worker owns the turn. */
  async run(scope: TenantScope, request: AiRequest): Promise<TurnOutcome | 'busy'> {
    const started = Date.now();
    const prepared = await this.tenantDb.run(scope, (tx) => this.claim(tx, scope, request));
    if (!prepared) return 'busy';
    let result: AiTurnResult | undefined;
    let fallbackReason: string | undefined;
    try {
      result = await this.ai.respond({
        ...prepared,
        tenantId: scope.tenantId,
        signal: AbortSignal.timeout(this.config.openai.timeoutMs),
        executeTool: (command) =>
          this.tenantDb.run(scope, (tx) =>
            this.executor.execute(tx, scope, request.conversationId, request.context, command),
          ),
      });
    } catch (error) {
      fallbackReason = reasonOf(error);
      if (fallbackReason === 'error')
        this.logger.error({ err: error, tenantId: scope.tenantId }, 'AI turn failed unexpectedly');
    }
    return this.tenantDb.run(scope, (tx) =>
      this.finish(tx, scope, request, result, fallbackReason, Date.now() - started),
    );
  }

  private async claim(tx: EntityManager, scope: TenantScope, request: AiRequest) {
    const leaseMs = this.config.openai.timeoutMs + LEASE_MARGIN_MS;
    const claimed = await tx.query<unknown[]>(
      `INSERT INTO ai_turns (tenant_id, message_id, conversation_id, lease_until)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (tenant_id, message_id) DO UPDATE SET lease_until = excluded.lease_until, attempts = ai_turns.attempts + 1
         WHERE ai_turns.status = 'running' AND ai_turns.lease_until < now()
       RETURNING 1`,
      [scope.tenantId, request.messageId, request.conversationId, leaseMs / 1000],
    );
    if (claimed.length === 0) return undefined;
    const [settings, catalog, cart, history, checkoutQuestion] = await Promise.all([
      this.settings.getIn(tx, scope),
      this.catalog.listActive(tx, scope),
      this.carts.view(tx, scope, request.conversationId),
      this.history(tx, scope, request.conversationId),
      this.checkout.pendingQuestion(tx, scope, request.conversationId),
    ]);
    const { businessName, locale, channel, description } = request.context;
    const business = { name: businessName, description, locale, channel };
    return { settings, catalog, cart, history, checkoutQuestion, business };
  }

  /** The last messages of this conversation only: the model never sees another customer's. */
  private async history(tx: EntityManager, scope: TenantScope, conversationId: string) {
    const rows = await tx.query<{ direction: 'in' | 'out'; body: string }[]>(
      `SELECT direction, body FROM messages WHERE tenant_id = $1 AND conversation_id = $2 AND body <> ''
        ORDER BY created_at DESC, id DESC LIMIT 20`,
      [scope.tenantId, conversationId],
    );
    return rows
      .reverse()
      .map((row) => ({ role: row.direction === 'in' ? ('user' as const) : ('assistant' as const), content: row.body }));
  }

  private async finish(
    tx: EntityManager,
    scope: TenantScope,
    request: AiRequest,
    result: AiTurnResult | undefined,
    fallbackReason: string | undefined,
    latencyMs: number,
  ): Promise<TurnOutcome> {
    const conversation = await tx
      .getRepository(Conversation)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.tenantId = :tenantId AND c.id = :id', { tenantId: scope.tenantId, id: request.conversationId })
      .getOneOrFail();
    const turn: InboundTurn = {
      conversation,
      messageId: request.messageId,
      content: { kind: 'text', text: request.text },
      context: request.context,
    };
    let outcome: TurnOutcome = { outboxIds: [], events: [] };
    // Staff may have taken the conversation while the model was thinking: then the bot says nothing.
    if (botAnswers(conversation.mode)) {
      const execution: Execution = result
        ? {
            replies: [...(result.text ? [{ kind: 'text' as const, text: result.text }] : []), ...result.replies],
            understood: true,
            escalate: result.escalate,
          }
        : await this.engine.fallback(tx, scope, turn);
      outcome = await this.engine.complete(tx, scope, turn, execution, result ? 'ai' : 'fallback');
    }
    await tx.query(`UPDATE inbox_messages SET processed_at = now() WHERE tenant_id = $1 AND id = $2`, [
      scope.tenantId,
      request.inboxId,
    ]);
    await tx.query(
      `UPDATE ai_turns SET status = $3, finished_at = now(), fallback_reason = $4, tool_calls = $5, latency_ms = $6 WHERE tenant_id = $1 AND message_id = $2`,
      [
        scope.tenantId,
        request.messageId,
        result ? 'answered' : 'fell_back',
        fallbackReason ?? null,
        result?.toolCalls ?? 0,
        latencyMs,
      ],
    );
    return outcome;
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof LlmError) return error.kind;
  if (error instanceof BreakerOpenError) return 'breaker_open';
  if (error instanceof AiToolError) return 'malformed_tool_call';
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return 'timeout';
  return 'error';
}
