import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { maskSecret, SecretBox } from '../../../common/crypto/secret-box.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { PaymentErrors } from '../payments.errors.js';
import type { PaymentMethod, PaymentOptions, PaymentSettingsView } from './payment-methods.js';
import type { PutPaymentSettingsDto } from './payment-settings.dto.js';

interface SettingsRow {
  methods: PaymentMethod[];
  keySealed: string | null;
  keyLast4: string | null;
  keyMode: 'test' | 'live' | null;
  instructions: string | null;
  updatedAt: Date;
}

const MASK = maskSecret('');

/** Which ways to pay a business offers, with its Paystack key sealed at rest. */
@Injectable()
export class PaymentSettingsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly secrets: SecretBox,
    private readonly audit: AuditService,
  ) {}

  get(scope: TenantScope): Promise<PaymentSettingsView> {
    return this.tenantDb.run(scope, async (tx) => toView(await this.row(tx, scope)));
  }

  /**
   * Replaces the offered methods; an omitted key or instructions keep what is stored, null
   * removes it. Each offered method must have what it needs, after that merge.
   */
  put(ctx: TenantContext, dto: PutPaymentSettingsDto, origin: RequestOrigin): Promise<PaymentSettingsView> {
    return this.tenantDb.run(ctx, async (tx) => {
      const current = await this.row(tx, ctx, { lock: true });
      const key = dto.paystackSecretKey;
      const sealed = key === undefined ? (current?.keySealed ?? null) : key && this.secrets.seal(key, ctx.tenantId);
      const instructions =
        dto.bankTransferInstructions === undefined ? (current?.instructions ?? null) : dto.bankTransferInstructions;
      if (dto.methods.includes('paystack') && !sealed) {
        throw PaymentErrors.settingRequired('paystackSecretKey', 'A Paystack secret key is needed to offer Paystack');
      }
      if (dto.methods.includes('bank_transfer') && !instructions) {
        throw PaymentErrors.settingRequired(
          'bankTransferInstructions',
          'Bank transfer instructions are needed to offer bank transfer',
        );
      }
      const last4 = key === undefined ? (current?.keyLast4 ?? null) : key && key.slice(-4);
      const mode =
        key === undefined ? (current?.keyMode ?? null) : key && (key.startsWith('sk_live_') ? 'live' : 'test');
      await tx.query(
        `INSERT INTO payment_settings (tenant_id, methods, paystack_secret_key_sealed, paystack_secret_key_last4,
                                       paystack_key_mode, bank_transfer_instructions, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id) DO UPDATE SET methods = excluded.methods,
           paystack_secret_key_sealed = excluded.paystack_secret_key_sealed,
           paystack_secret_key_last4 = excluded.paystack_secret_key_last4, paystack_key_mode = excluded.paystack_key_mode,
           bank_transfer_instructions = excluded.bank_transfer_instructions, updated_by = excluded.updated_by`,
        [ctx.tenantId, dto.methods, sealed || null, last4 || null, mode || null, instructions, ctx.userId],
      );
      await this.audit.recordIn(tx, ctx, {
        action: 'payments.settings_changed',
        actorUserId: ctx.userId,
        origin,
        // Which things changed, never the key or the instructions themselves.
        details: {
          methods: dto.methods,
          paystackKey: key === undefined ? 'kept' : key === null ? 'removed' : 'replaced',
          bankTransferInstructions: dto.bankTransferInstructions === undefined ? 'kept' : 'changed',
        },
      });
      return toView(await this.row(tx, ctx));
    });
  }

  /** The business's ways to pay with the key opened, inside the caller's transaction. */
  async optionsIn(tx: EntityManager, scope: TenantScope): Promise<PaymentOptions> {
    const row = await this.row(tx, scope);
    if (!row) return { methods: [] };
    return {
      methods: row.methods,
      paystackSecretKey: row.keySealed ? this.secrets.open(row.keySealed, scope.tenantId) : undefined,
      bankTransferInstructions: row.instructions ?? undefined,
    };
  }

  /**
   * The stored Paystack key, offered or not: links sent before Paystack was switched off
   * may still be paid, and their webhooks must still verify.
   */
  async paystackKeyIn(tx: EntityManager, scope: TenantScope): Promise<string | undefined> {
    return (await this.optionsIn(tx, scope)).paystackSecretKey;
  }

  private async row(tx: EntityManager, scope: TenantScope, options: { lock?: boolean } = {}) {
    const [row] = await tx.query<SettingsRow[]>(
      `SELECT methods, paystack_secret_key_sealed AS "keySealed", paystack_secret_key_last4 AS "keyLast4",
              paystack_key_mode AS "keyMode", bank_transfer_instructions AS instructions, updated_at AS "updatedAt"
         FROM payment_settings WHERE tenant_id = $1 ${options.lock ? 'FOR UPDATE' : ''}`,
      [scope.tenantId],
    );
    return row as SettingsRow | undefined;
  }
}

function toView(row: SettingsRow | undefined): PaymentSettingsView {
  return {
    methods: row?.methods ?? [],
    paystackSecretKeyLast4: row?.keyLast4 ? `${MASK}${row.keyLast4}` : null,
    paystackKeyMode: row?.keyMode ?? null,
    bankTransferInstructions: row?.instructions ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}
