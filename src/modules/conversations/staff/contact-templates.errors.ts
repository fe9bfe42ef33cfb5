import { AppError } from '../../../common/errors/app-error.js';

export const ContactTemplateErrors = {
  /** Message templates are WhatsApp's: Instagram and web chat have none. */
  whatsappOnly: (channel: string) =>
    new AppError('conflict', 'whatsapp_only', 'Templates can be sent to WhatsApp contacts only', { channel }),
  channelUnavailable: (status: string) =>
    new AppError('conflict', 'channel_unavailable', "The contact's channel cannot send until it is reconnected", {
      status,
    }),
};
