import { AppError } from '../../../common/errors/app-error.js';

export const MetaCallbackErrors = {
  /** Missing, malformed, forged or for another algorithm: one code, the reason in details. */
  invalidSignedRequest: (reason: string) =>
    new AppError('bad_request', 'invalid_signed_request', 'The signed_request is missing or not validly signed', {
      reason,
    }),
  unavailable: () => new AppError('unavailable', 'unavailable', 'The request could not be handled now; retry later'),
};
