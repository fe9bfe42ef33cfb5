import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import type { PrivacyRequestType } from './privacy-request.views.js';
import { updateReturning } from './update-returning.js';

/** Runs a request may start before it fails for good (a worker dying counts as a run). */
export const MAX_RUNS = 5;
/**
 * A running request whose run has not reported for this long is presumed dead (its worker
 * was killed) and may be claimed again. Runs report after every page of rows, far oftener.
 */
export const STALE_AFTER_SECONDS = 30;

const CLAIMABLE = `(status = 'queued'
  OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => ${STALE_AFTER_SECONDS})))`;

/** A request this run holds: only it may write its archive or mark it finished. */
export interface ClaimedRequest extends TenantScope {
  id: string;
  runId: string;
  type: PrivacyRequestType;
  contactId: string | null;
  /** Runs started, this one included. */
  attempts: number;
}

/** Another run has taken the request over (this one was presumed dead): stop, touching nothing. */
export class LostClaim extends Error {
  constructor() {
    super('The privacy request was claimed by another run');
  }
}

/**
 * Who runs a privacy request, in Postgres: a run claims it (a fresh `run_id`), reports as
 * it goes (`heartbeat_at`), and finishes it only while still holding it. A duplicate job
 * finds it claimed and does nothing; a dead run's request is claimed again once stale,
 * and the new run starts from scratch.
 */
@Injectable()
export class RequestClaims {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
  ) {}

  /** The request, claimed for a new run; null when it is not this run's to do. */
  claim(scope: TenantScope, requestId: string): Promise<ClaimedRequest | null> {
    return this.tenantDb.run(scope, async (tx) => {
      const runId = randomUUID();
      const [row] = await updateReturning<Omit<ClaimedRequest, 'runId' | 'tenantId'>>(
        tx,
        `UPDATE privacy_requests
            SET status = 'running', run_id = $3, attempts = attempts + 1, progress = 0, error = NULL,
                started_at = coalesce(started_at, now()), heartbeat_at = now()
          WHERE tenant_id = $1 AND id = $2 AND attempts < $4 AND ${CLAIMABLE}
          RETURNING id, type, contact_id AS "contactId", attempts`,
        [scope.tenantId, requestId, runId, MAX_RUNS],
      );
      if (row) return { ...row, tenantId: scope.tenantId, runId };
      // A request whose runs keep dying is given up rather than swept forever.
      const [exhausted] = await updateReturning<{ type: PrivacyRequestType }>(
        tx,
        `UPDATE privacy_requests
            SET status = 'failed', run_id = NULL, finished_at = now(), error = 'attempts_exhausted'
          WHERE tenant_id = $1 AND id = $2 AND attempts >= $3 AND ${CLAIMABLE}
          RETURNING type`,
        [scope.tenantId, requestId, MAX_RUNS],
      );
      if (exhausted) await this.auditFailure(tx, scope, requestId, exhausted.type, 'attempts_exhausted');
      return null;
    });
  }

  /** Records progress (0–100) and that the run is alive; throws LostClaim when it is no longer its. */
  async heartbeat(claim: ClaimedRequest, progress: number): Promise<void> {
    const rows = await this.tenantDb.run(claim, (tx) =>
      updateReturning(
        tx,
        `UPDATE privacy_requests SET progress = $4, heartbeat_at = now()
          WHERE tenant_id = $1 AND id = $2 AND run_id = $3 RETURNING id`,
        [claim.tenantId, claim.id, claim.runId, progress],
      ),
    );
    if (rows.length === 0) throw new LostClaim();
  }

  /**
   * Locks the request for the rest of `tx` if this run still holds it (else LostClaim).
   * While locked no other run can claim it, so the run's files are safely its own.
   */
  async hold(tx: EntityManager, claim: ClaimedRequest): Promise<void> {
    const rows = await tx.query<unknown[]>(
      `SELECT id FROM privacy_requests WHERE tenant_id = $1 AND id = $2 AND run_id = $3 FOR UPDATE`,
      [claim.tenantId, claim.id, claim.runId],
    );
    if (rows.length === 0) throw new LostClaim();
  }

  /** Marks a held request done (call `hold` first, in the same transaction). */
  async complete(
    tx: EntityManager,
    claim: ClaimedRequest,
    outcome: { result: Record<string, unknown>; archiveBytes?: number; expiresAt?: Date },
  ): Promise<void> {
    await tx.query(
      `UPDATE privacy_requests
          SET status = 'done', run_id = NULL, progress = 100, finished_at = now(), heartbeat_at = now(),
              result = $3, archive_bytes = $4, expires_at = $5
        WHERE tenant_id = $1 AND id = $2`,
      [
        claim.tenantId,
        claim.id,
        JSON.stringify(outcome.result),
        outcome.archiveBytes ?? null,
        outcome.expiresAt ?? null,
      ],
    );
  }

  /**
   * Gives a held request back after an error: queued again for a later run, or failed for
   * good on its last (or when `final`: an error no run would get past). `cleanUp`
   * (removing a partial archive) runs while the request is still locked, so it cannot
   * remove the files of a run that claims it next.
   */
  async giveBack(
    claim: ClaimedRequest,
    errorCode: string,
    cleanUp: () => Promise<void>,
    options: { final?: boolean } = {},
  ): Promise<'queued' | 'failed' | 'lost'> {
    return this.tenantDb.run(claim, async (tx) => {
      try {
        await this.hold(tx, claim);
      } catch (error) {
        if (error instanceof LostClaim) return 'lost';
        throw error;
      }
      await cleanUp();
      const final = options.final === true || claim.attempts >= MAX_RUNS;
      await tx.query(
        final
          ? `UPDATE privacy_requests SET status = 'failed', run_id = NULL, finished_at = now(), error = $3
              WHERE tenant_id = $1 AND id = $2`
          : `UPDATE privacy_requests SET status = 'queued', run_id = NULL, progress = 0, heartbeat_at = NULL, error = $3
              WHERE tenant_id = $1 AND id = $2`,
        [claim.tenantId, claim.id, errorCode],
      );
      if (final) await this.auditFailure(tx, claim, claim.id, claim.type, errorCode);
      return final ? 'failed' : 'queued';
    });
  }

  private auditFailure(
    tx: EntityManager,
    scope: TenantScope,
    requestId: string,
    type: PrivacyRequestType,
    error: string,
  ): Promise<void> {
    return this.audit.recordIn(tx, scope, {
      action: 'privacy.request_failed',
      target: { type: 'privacy_request', id: requestId },
      details: { type, error },
    });
  }
}
