import { AppError } from '../../../common/errors/app-error.js';

export const ContactTemplateErrors = {
  /** Message templates are WhatsApp's: Instagram and web chat have none. */
  whatsappOnly: (channel: string) =>
    new AppError('conflict', 'whatsapp_only', 'Templates can be sent to WhatsApp contacts only', { channel }),
};
