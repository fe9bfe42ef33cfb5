import { AppError } from '../../common/errors/app-error.js';

export const TenantErrors = {
  notFound: () => new AppError('not_found', 'not_found', 'Tenant not found'),
  suspended: () => new AppError('forbidden', 'tenant_suspended', 'This business is suspended; contact support'),
  memberNotFound: () => new AppError('not_found', 'not_found', 'Member not found'),
  lastOwner: () =>
    new AppError('conflict', 'last_owner', 'A business needs at least one owner: add another owner first'),
  alreadyMember: () => new AppError('conflict', 'already_member', 'This user is already a member'),
  ownerOnly: () => new AppError('forbidden', 'forbidden', 'Only an owner can grant or change the owner role'),
};
