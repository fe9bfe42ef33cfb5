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
import { ordersWithOpenPaystackLinks } from './paystack-links-in-use.js';

interface StoredSettings {
  methods: PaymentMethod[];
  keySealed: string | null;
  keyLast4: string | null;
  keyMode: 'test' | 'live' | null;
  instructions: string | null;
}

interface SettingsRow extends StoredSettings {
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
      const next = this.merge(ctx, current, dto);
      requireWhatMethodsNeed(next);
      if (dto.paystackSecretKey === null && current?.keySealed) await this.refuseIfLinksOpen(tx, ctx);
      await tx.query(
        `INSERT INTO payment_settings (tenant_id, methods, paystack_secret_key_sealed, paystack_secret_key_last4,
                                       paystack_key_mode, bank_transfer_instructions, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id) DO UPDATE SET methods = excluded.methods,
           paystack_secret_key_sealed = excluded.paystack_secret_key_sealed,
           paystack_secret_key_last4 = excluded.paystack_secret_key_last4, paystack_key_mode = excluded.paystack_key_mode,
           bank_transfer_instructions = excluded.bank_transfer_instructions, updated_by = excluded.updated_by`,
        [ctx.tenantId, next.methods, next.keySealed, next.keyLast4, next.keyMode, next.instructions, ctx.userId],
      );
      await this.audit.recordIn(tx, ctx, {
        action: 'payments.settings_changed',
        actorUserId: ctx.userId,
        origin,
        // Which things changed, never the key or the instructions themselves.
        details: {
          methods: dto.methods,
          paystackKey:
            dto.paystackSecretKey === undefined ? 'kept' : dto.paystackSecretKey === null ? 'removed' : 'replaced',
          bankTransferInstructions: dto.bankTransferInstructions === undefined ? 'kept' : 'changed',
        },
      });
      return toView(await this.row(tx, ctx));
    });
  }

  /** The stored settings with the request applied: omitted fields kept, null ones removed. */
  private merge(scope: TenantScope, current: SettingsRow | undefined, dto: PutPaymentSettingsDto): StoredSettings {
    const instructions =
      dto.bankTransferInstructions === undefined ? (current?.instructions ?? null) : dto.bankTransferInstructions;
    return { methods: dto.methods, ...this.keyFields(scope, current, dto.paystackSecretKey), instructions };
  }

  private keyFields(
    scope: TenantScope,
    current: SettingsRow | undefined,
    key: string | null | undefined,
  ): Pick<StoredSettings, 'keySealed' | 'keyLast4' | 'keyMode'> {
    if (key === undefined) {
      return {
        keySealed: current?.keySealed ?? null,
        keyLast4: current?.keyLast4 ?? null,
        keyMode: current?.keyMode ?? null,
      };
    }
    if (key === null) return { keySealed: null, keyLast4: null, keyMode: null };
    return {
      keySealed: this.secrets.seal(key, scope.tenantId),
      keyLast4: key.slice(-4),
      keyMode: key.startsWith('sk_live_') ? 'live' : 'test',
    };
  }

  /**
   * Links already sent keep working after Paystack stops being offered, because the key
   * stays to check their webhooks and verify their payments; removing it would leave
   * customers paying into links whose payments could never be confirmed.
   */
  private async refuseIfLinksOpen(tx: EntityManager, scope: TenantScope): Promise<void> {
    const orderNumbers = await ordersWithOpenPaystackLinks(tx, scope);
    if (orderNumbers.length > 0) throw PaymentErrors.paystackKeyInUse(orderNumbers);
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

/** Each offered method must have what it needs. */
function requireWhatMethodsNeed(settings: StoredSettings): void {
  if (settings.methods.includes('paystack') && !settings.keySealed) {
    throw PaymentErrors.settingRequired('paystackSecretKey', 'A Paystack secret key is needed to offer Paystack');
  }
  if (settings.methods.includes('bank_transfer') && !settings.instructions) {
    throw PaymentErrors.settingRequired(
      'bankTransferInstructions',
      'Bank transfer instructions are needed to offer bank transfer',
    );
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
