import { AppError, Errors } from '../../../common/errors/app-error.js';

export const ConsentErrors = {
  contactNotFound: () => Errors.notFound('Contact'),
  /** Also the delivery failure code of a template refused for the same reason. */
  withdrawn: () =>
    new AppError('conflict', 'consent_withdrawn', 'This customer has withdrawn consent to marketing messages'),
  withdrawnByCustomer: () =>
    new AppError(
      'conflict',
      'withdrawn_by_customer',
      'The customer withdrew this consent in chat; only they can give it back (by sending START)',
    ),
};
