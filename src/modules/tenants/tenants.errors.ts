import { AppError } from '../../common/errors/app-error.js';

export const TenantErrors = {
  notFound: () => new AppError('not_found', 'not_found', 'Tenant not found'),
  suspended: () => new AppError('forbidden', 'tenant_suspended', 'This business is suspended; contact support'),
  memberNotFound: () => new AppError('not_found', 'not_found', 'Member not found'),
  lastOwner: () =>
    new AppError('conflict', 'last_owner', 'A business needs at least one owner: add another owner first'),
  alreadyMember: () => new AppError('conflict', 'already_member', 'This user is already a member'),
  notActive: () =>
    new AppError('conflict', 'tenant_not_active', 'This business is not active, so it cannot be deleted now'),
  notPendingDeletion: () =>
    new AppError(
      'conflict',
      'not_pending_deletion',
      'This business is not waiting for deletion, or its grace period has passed',
    ),
  /** Every tenant route but reading the business and restoring it answers this while deletion is pending. */
  pendingDeletion: () =>
    new AppError(
      'conflict',
      'tenant_pending_deletion',
      'This business is scheduled for deletion; an owner can restore it with POST /v1/tenants/{tenantId}/restore',
    ),
  ownerOnly: () => new AppError('forbidden', 'forbidden', 'Only an owner can grant or change the owner role'),
};
