import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config.js';
import { NotificationErrors } from './notifications.errors.js';

export interface OutgoingMail {
  /** Each recipient receives the message without seeing the others' addresses. */
  bcc: string[];
  subject: string;
  text: string;
}

/** E-mail through the server in `SMTP_URL`. Bounded waits: a job never hangs on a silent server. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private transport?: Transporter;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.smtpUrl !== undefined;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const url = this.config.smtpUrl;
    if (!url) throw new Error('Mailer.send called without SMTP_URL');
    this.transport ??= createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    try {
      await this.transport.sendMail({ from: this.from(), ...mail });
    } catch (error) {
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      throw NotificationErrors.mailFailed(code, responseCode);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  // No sender setting exists yet: the API's own host names the sender, which a mail
  // provider can be told to accept.
  private from(): string {
    return `Hawker <no-reply@${new URL(this.config.http.publicBaseUrl).hostname}>`;
  }
}
