import { AppError } from '../../common/errors/app-error.js';

export const NotificationErrors = {
  /**
   * The mail server refused or could not be reached. Carries the server's codes only: its
   * message can name recipients, and addresses stay out of logs and job records.
   */
  mailFailed: (code: string | undefined, responseCode: number | undefined) =>
    new AppError('unavailable', 'mail_failed', `The mail server did not accept the message (${code ?? 'unknown'})`, {
      code: code ?? null,
      responseCode: responseCode ?? null,
    }),
};
