export const PRIVACY_REQUEST_TYPES = ['export', 'erasure'] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];
/** `expired`: a finished export whose archive was removed when its time ran out. */
export type PrivacyRequestStatus = 'queued' | 'running' | 'done' | 'failed' | 'expired';
export type PrivacyRequestSource = 'staff' | 'meta_data_deletion';

export interface PrivacyRequestRow {
  id: string;
  type: PrivacyRequestType;
  subject: 'contact' | 'tenant';
  contactId: string | null;
  source: PrivacyRequestSource;
  requestedBy: string | null;
  status: PrivacyRequestStatus;
  progress: number;
  attempts: number;
  error: string | null;
  result: Record<string, unknown>;
  archiveBytes: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

export const PRIVACY_REQUEST_COLUMNS = `r.id, r.type, r.subject, r.contact_id AS "contactId", r.source,
  r.requested_by AS "requestedBy", r.status, r.progress, r.attempts, r.error, r.result,
  r.archive_bytes AS "archiveBytes", r.created_at AS "createdAt", r.started_at AS "startedAt",
  r.finished_at AS "finishedAt", r.expires_at AS "expiresAt"`;

export interface PrivacyRequestView {
  id: string;
  type: PrivacyRequestType;
  /** `contact` for one contact's data, `tenant` for the whole business's (exports only). */
  subject: 'contact' | 'tenant';
  contactId: string | null;
  source: PrivacyRequestSource;
  requestedBy: string | null;
  status: PrivacyRequestStatus;
  /** 0–100. */
  progress: number;
  /** Why it failed: an error code. */
  error: string | null;
  /** Counts only: rows per table exported or erased, files, bytes. */
  result: Record<string, unknown>;
  archiveBytes: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** When a finished export's archive and download link expire. */
  expiresAt: string | null;
  /** A finished export's signed download link (it also needs an owner's or admin's token). */
  downloadUrl: string | null;
}

export function toPrivacyRequestView(row: PrivacyRequestRow, downloadUrl: string | null): PrivacyRequestView {
  return {
    id: row.id,
    type: row.type,
    subject: row.subject,
    contactId: row.contactId,
    source: row.source,
    requestedBy: row.requestedBy,
    status: row.status,
    progress: row.progress,
    error: row.error,
    result: row.result,
    archiveBytes: row.archiveBytes === null ? null : Number(row.archiveBytes),
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    downloadUrl,
  };
}
