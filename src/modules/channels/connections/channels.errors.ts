import { AppError, Errors } from '../../../common/errors/app-error.js';
import type { ProviderFailure } from '../providers/graph-errors.js';
import type { ChannelType } from './entities/channel.entity.js';

const ACCOUNT_LABEL: Record<ChannelType, string> = {
  whatsapp: 'WhatsApp number',
  instagram: 'Instagram account',
  webchat: 'web chat',
};

/** A provider's answer as the API may show it: a code and a reason, never a token. */
export const publicFailure = (failure: ProviderFailure) => ({ code: failure.code, reason: failure.reason });

export const ChannelErrors = {
  notFound: () => Errors.notFound('Channel'),
  taken: (type: ChannelType) =>
    Errors.conflict(
      `This ${ACCOUNT_LABEL[type]} is already connected to a business on Hawker; disconnect it there first`,
      'channel_taken',
    ),
  disconnected: () =>
    Errors.conflict('This channel is disconnected; connect the account again as a new channel', 'channel_disconnected'),
  fieldNotApplicable: (field: string, type: ChannelType) =>
    Errors.validation(`Invalid request: ${field}`, {
      fields: { [field]: [`${field} does not apply to a ${type} channel`] },
    }),
  noTokenToCheck: () => new AppError('bad_request', 'check_unsupported', 'A web chat channel has no token to check'),
  tokenRejected: (failure: ProviderFailure) =>
    new AppError('bad_request', 'token_rejected', 'Meta refused this access token for this account', {
      fields: { accessToken: ['Meta refused this access token for this account'] },
      failure: publicFailure(failure),
    }),
  providerUnavailable: (failure: ProviderFailure) =>
    new AppError(
      'unavailable',
      'provider_unavailable',
      'Meta could not be reached to verify the access token; try again shortly',
      { failure: publicFailure(failure) },
    ),
  tokenUnreadable: () =>
    new AppError(
      'unavailable',
      'channel_token_unreadable',
      'The stored access token cannot be opened (was its encryption key removed?)',
    ),
};
