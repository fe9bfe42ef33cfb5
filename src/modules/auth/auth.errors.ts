import { AppError } from '../../common/errors/app-error.js';

export const AuthErrors = {
  // One answer for unknown e-mail and wrong password: the API does not reveal accounts.
  invalidCredentials: () => new AppError('unauthorized', 'invalid_credentials', 'E-mail or password is wrong'),
  totpRequired: () => new AppError('unauthorized', 'totp_required', 'A valid authenticator code is required'),
  invalidTotp: () => new AppError('bad_request', 'invalid_totp', 'The authenticator code is not valid'),
  totpNotSetUp: () => new AppError('conflict', 'totp_not_set_up', 'Set up two-factor authentication first'),
  totpAlreadyEnabled: () => new AppError('conflict', 'totp_already_enabled', 'Two-factor authentication is already on'),
  // Platform admin addresses cannot be claimed by signing up: nobody verified the
  // address, so only the operator creates those accounts (npm run admin:create).
  emailReserved: () => new AppError('forbidden', 'email_reserved', 'This e-mail address cannot be used to sign up'),
  emailTaken: () => new AppError('conflict', 'email_taken', 'An account with this e-mail already exists'),
  invalidRefreshToken: () => new AppError('unauthorized', 'invalid_refresh_token', 'Sign in again'),
  locked: (retryAfterSeconds: number) =>
    new AppError(
      'rate_limited',
      'account_locked',
      'Too many failed sign-ins; try again later',
      undefined,
      retryAfterSeconds,
    ),
  invitationInvalid: () => new AppError('not_found', 'invitation_invalid', 'This invitation is invalid or has expired'),
  invitationNeedsAccount: () =>
    new AppError(
      'bad_request',
      'validation_failed',
      'Give a name and password to create your account, or sign in first',
      {
        fields: { name: ['required for a new account'], password: ['required for a new account'] },
      },
    ),
  invitationEmailMismatch: () =>
    new AppError('forbidden', 'invitation_email_mismatch', 'This invitation was sent to another e-mail address'),
};
