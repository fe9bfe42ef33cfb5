import { localFailure, ProviderError, type ProviderFailure } from './graph-errors.js';
import { GraphHttp, readString, type FetchFn, type GraphClientOptions, type SendResult } from './graph-http.js';
import { truncateChars } from './provider-text.js';

/** Each tenant connects its own number, so credentials come with every call. */
export interface WhatsAppCredentials {
  accessToken: string;
  phoneNumberId: string;
}

export interface TextOptions {
  /** The wamid of the customer's message to quote. */
  replyTo?: string;
  previewUrl?: boolean;
}

export interface ReplyButton {
  id: string;
  title: string;
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export interface ListSection {
  title: string;
  rows: ListRow[];
}

export interface ListMessage {
  header?: string;
  body: string;
  footer?: string;
  /** The label of the button that opens the list. */
  button: string;
  sections: ListSection[];
}

export interface DocumentMessage {
  /** A public https URL that Meta downloads. */
  link: string;
  filename: string;
  caption?: string;
}

export interface TemplateMessage {
  name: string;
  languageCode: string;
  bodyParams: string[];
}

export type WhatsAppTokenCheck =
  { ok: true; name?: string; displayPhoneNumber?: string } | { ok: false; failure: ProviderFailure };

/**
 * WhatsApp Cloud API limits (PLATFORM-APIS §2 and Meta's documentation). Over-long text is
 * shortened here because Meta rejects the whole message otherwise; ids are never shortened,
 * since they come back in replies and must match.
 */
const LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  headerText: 60,
  footerText: 60,
  caption: 1024,
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  listButton: 20,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
} as const;

type MessageContent = Record<string, unknown>;

export class WhatsAppClient {
  private readonly http: GraphHttp;

  constructor(options: GraphClientOptions, fetchFn: FetchFn = globalThis.fetch) {
    this.http = new GraphHttp(options, fetchFn);
  }

  sendText(creds: WhatsAppCredentials, to: string, body: string, opts: TextOptions = {}): Promise<SendResult> {
    return this.send(creds, to, {
      ...(opts.replyTo ? { context: { message_id: opts.replyTo } } : {}),
      type: 'text',
      text: { body: truncateChars(body, LIMITS.textBody), preview_url: opts.previewUrl ?? false },
    });
  }

  sendButtons(creds: WhatsAppCredentials, to: string, body: string, buttons: ReplyButton[]): Promise<SendResult> {
    return this.sendInteractive(creds, to, {
      type: 'button',
      body: { text: truncateChars(body, LIMITS.interactiveBody) },
      action: { buttons: buttons.slice(0, LIMITS.buttons).map(toReplyButton) },
    });
  }

  sendList(creds: WhatsAppCredentials, to: string, list: ListMessage): Promise<SendResult> {
    return this.sendInteractive(creds, to, {
      type: 'list',
      ...(list.header ? { header: { type: 'text', text: truncateChars(list.header, LIMITS.headerText) } } : {}),
      body: { text: truncateChars(list.body, LIMITS.interactiveBody) },
      ...(list.footer ? { footer: { text: truncateChars(list.footer, LIMITS.footerText) } } : {}),
      action: {
        button: truncateChars(list.button, LIMITS.listButton),
        sections: limitSections(list.sections),
      },
    });
  }

  sendDocument(creds: WhatsAppCredentials, to: string, document: DocumentMessage): Promise<SendResult> {
    return this.send(creds, to, {
      type: 'document',
      document: {
        link: document.link,
        filename: document.filename,
        ...(document.caption ? { caption: truncateChars(document.caption, LIMITS.caption) } : {}),
      },
    });
  }

  sendTemplate(creds: WhatsAppCredentials, to: string, template: TemplateMessage): Promise<SendResult> {
    const parameters = template.bodyParams.map((text) => ({ type: 'text', text }));
    return this.send(creds, to, {
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.languageCode },
        ...(parameters.length > 0 ? { components: [{ type: 'body', parameters }] } : {}),
      },
    });
  }

  async markRead(creds: WhatsAppCredentials, wamid: string): Promise<void> {
    await this.http.post(creds.accessToken, [creds.phoneNumberId, 'messages'], {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: wamid,
    });
  }

  async checkToken(creds: WhatsAppCredentials): Promise<WhatsAppTokenCheck> {
    try {
      const profile = await this.http.get(creds.accessToken, [creds.phoneNumberId], {
        fields: 'verified_name,display_phone_number',
      });
      return {
        ok: true,
        name: readString(profile, 'verified_name'),
        displayPhoneNumber: readString(profile, 'display_phone_number'),
      };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, failure: error.failure };
      throw error;
    }
  }

  private sendInteractive(creds: WhatsAppCredentials, to: string, interactive: MessageContent): Promise<SendResult> {
    return this.send(creds, to, { type: 'interactive', interactive });
  }

  private async send(creds: WhatsAppCredentials, to: string, content: MessageContent): Promise<SendResult> {
    const payload = await this.http.post(creds.accessToken, [creds.phoneNumberId, 'messages'], {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: toRecipient(to),
      ...content,
    });
    return { providerMessageId: readWamid(payload) };
  }
}

/**
 * Meta recommends '+' and the country code: without the '+' it may prepend the business
 * number's own country code. Inbound `from` values have no '+', so it is added here.
 */
function toRecipient(to: string): string {
  const digits = to.replace(/\D/g, '');
  if (digits === '' || digits.length > 15) {
    throw new ProviderError(localFailure('invalid_recipient', 'recipient is not a phone number'));
  }
  return `+${digits}`;
}

function toReplyButton(button: ReplyButton): MessageContent {
  return { type: 'reply', reply: { id: button.id, title: truncateChars(button.title, LIMITS.buttonTitle) } };
}

/** The row limit counts across all sections; a section left without rows is dropped. */
function limitSections(sections: ListSection[]): MessageContent[] {
  const limited: MessageContent[] = [];
  let rowsLeft: number = LIMITS.listRows;
  for (const section of sections) {
    const rows = section.rows.slice(0, rowsLeft);
    if (rows.length === 0) continue;
    rowsLeft -= rows.length;
    limited.push({ title: truncateChars(section.title, LIMITS.sectionTitle), rows: rows.map(toListRow) });
  }
  return limited;
}

function toListRow(row: ListRow): MessageContent {
  return {
    id: row.id,
    title: truncateChars(row.title, LIMITS.rowTitle),
    ...(row.description ? { description: truncateChars(row.description, LIMITS.rowDescription) } : {}),
  };
}

/**
 * A 200 without a message id should not happen. It is permanent on purpose: Meta may have
 * accepted the message, and a retry could deliver it twice.
 */
function readWamid(payload: unknown): string {
  const id = readString(payload, 'messages', 0, 'id');
  if (!id) throw new ProviderError(localFailure('invalid_response', 'WhatsApp accepted the send without a message id'));
  return id;
}
