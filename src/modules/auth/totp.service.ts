import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box.js';
import { AuthErrors } from './auth.errors.js';
import { User } from './entities/user.entity.js';

// One 30-second step either side, for clocks that drift a little.
const TOLERANCE_SECONDS = 30;

@Injectable()
export class TotpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  /** Starts (or restarts) setup: a new secret, not yet required at sign-in. */
  async setup(user: User): Promise<{ secret: string; otpauthUrl: string }> {
    if (user.totpEnabledAt) throw AuthErrors.totpAlreadyEnabled();
    const secret = generateSecret();
    await this.dataSource
      .getRepository(User)
      .update({ id: user.id }, { totpSecretSealed: this.secrets.seal(secret, user.id), totpLastStep: null });
    return { secret, otpauthUrl: generateURI({ issuer: 'Hawker', label: user.email, secret }) };
  }

  async enable(user: User, code: string): Promise<void> {
    if (user.totpEnabledAt) throw AuthErrors.totpAlreadyEnabled();
    if (!user.totpSecretSealed) throw AuthErrors.totpNotSetUp();
    if (!(await this.consume(user, code))) throw AuthErrors.invalidTotp();
    await this.dataSource.getRepository(User).update({ id: user.id }, { totpEnabledAt: new Date() });
  }

  async disable(user: User, code: string): Promise<void> {
    if (!user.totpEnabledAt) throw AuthErrors.totpNotSetUp();
    if (!(await this.consume(user, code))) throw AuthErrors.invalidTotp();
    await this.dataSource
      .getRepository(User)
      .update({ id: user.id }, { totpEnabledAt: null, totpSecretSealed: null, totpLastStep: null });
  }

  /**
   * Accepts a code at most once: the accepted time step is stored with a compare-and-set,
   * so a replayed code — even in a concurrent request — fails.
   */
  async consume(user: User, code: string): Promise<boolean> {
    if (!user.totpSecretSealed) return false;
    const secret = this.secrets.open(user.totpSecretSealed, user.id);
    const lastStep = user.totpLastStep === null ? undefined : Number(user.totpLastStep);
    const result = await verify({
      secret,
      token: code,
      epochTolerance: TOLERANCE_SECONDS,
      afterTimeStep: lastStep,
    }).catch(() => ({ valid: false as const }));
    if (!result.valid || !('timeStep' in result)) return false;
    const [, updated] = await this.dataSource.query<[unknown, number]>(
      `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [user.id, result.timeStep],
    );
    return updated === 1;
  }
}
