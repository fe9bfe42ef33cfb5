import { AppError } from '../../../common/errors/app-error.js';

export const TenantDeletionErrors = {
  // 403, not 401: the caller is signed in, and a 401 would make clients sign them out.
  invalidPassword: () => new AppError('forbidden', 'invalid_credentials', 'The password is wrong'),
};
