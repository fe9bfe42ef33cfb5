import { AppError, Errors } from '../../../common/errors/app-error.js';

export const WebchatErrors = {
  /** Unknown, disconnected and malformed channel ids look alike: nothing to probe. */
  channelNotFound: () => Errors.notFound('Web chat'),
  invalidSession: () => Errors.unauthorized('Missing or invalid web chat session token', 'invalid_session'),
  invalidCursor: () => new AppError('bad_request', 'invalid_cursor', 'The cursor is not valid'),
  tooManyMessages: (retryAfterSeconds: number) =>
    Errors.rateLimited(retryAfterSeconds, 'Too many messages from this chat; wait a moment and send again'),
  tooManyWaits: () => Errors.rateLimited(1, 'This chat is already waiting for replies in several requests'),
};
