import { randomBytes } from 'node:crypto';

/**
 * The Graph API wire format the fake speaks (PLATFORM-APIS §2 and §3): success and error
 * bodies, and the limits Meta enforces, so that a client which breaks them fails its tests
 * the way it would fail in production.
 */

export interface WireProblem {
  code: number;
  details: string;
}

/** A Graph error body: `{ error: { message, type, code, error_subcode?, error_data?, fbtrace_id } }`. */
export function graphErrorBody(
  code: number,
  message: string,
  extra: { subcode?: number; type?: string; details?: string } = {},
): { error: Record<string, unknown> } {
  return {
    error: {
      message,
      type: extra.type ?? (code === 190 ? 'OAuthException' : 'GraphMethodException'),
      code,
      ...(extra.subcode === undefined ? {} : { error_subcode: extra.subcode }),
      ...(extra.details === undefined ? {} : { error_data: { details: extra.details } }),
      fbtrace_id: `fake${randomBytes(6).toString('hex')}`,
    },
  };
}

export function whatsAppSuccess(to: string, id: string, body: Record<string, unknown>): Record<string, unknown> {
  const message = body.type === 'template' ? { id, message_status: 'accepted' } : { id };
  return { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: withoutPlus(to) }], messages: [message] };
}

/** Enforces the limits of PLATFORM-APIS §2 so that a client which breaks them fails its tests. */
export function whatsAppProblem(body: Record<string, unknown>): WireProblem | undefined {
  if (typeof body.to !== 'string' || !/^\+?\d{1,15}$/.test(body.to))
    return invalid(100, 'to must be a phone number or wa_id');
  const type = body.type ?? 'text';
  switch (type) {
    case 'text':
      return checkText(field(body, 'text', 'body'), 'text.body', 4096);
    case 'interactive':
      return interactiveProblem(asRecord(body.interactive));
    case 'document': {
      const document = asRecord(body.document);
      return document.link || document.id ? undefined : invalid(131008, 'document.link or document.id is required');
    }
    case 'template':
      return field(body, 'template', 'name') && field(body, 'template', 'language', 'code')
        ? undefined
        : invalid(131008, 'template.name and template.language.code are required');
    case 'image':
    case 'audio':
    case 'video':
    case 'sticker':
    case 'location':
    case 'contacts':
    case 'reaction':
      return undefined;
    default:
      return invalid(100, `unsupported message type ${JSON.stringify(type)}`);
  }
}

function interactiveProblem(interactive: Record<string, unknown>): WireProblem | undefined {
  const action = asRecord(interactive.action);
  const common =
    checkText(field(interactive, 'body', 'text'), 'interactive.body.text', 1024) ??
    checkOptionalText(field(interactive, 'header', 'text'), 'interactive.header.text', 60) ??
    checkOptionalText(field(interactive, 'footer', 'text'), 'interactive.footer.text', 60);
  if (common) return common;
  if (interactive.type === 'button') return buttonsProblem(asArray(action.buttons));
  if (interactive.type === 'list') return listProblem(action);
  return invalid(100, `unsupported interactive type ${String(interactive.type)}`);
}

function buttonsProblem(buttons: unknown[]): WireProblem | undefined {
  if (buttons.length < 1 || buttons.length > 3) return invalid(131009, 'between 1 and 3 buttons are allowed');
  const titles = buttons.map((button) => field(button, 'reply', 'title'));
  for (const title of titles) {
    const problem = checkText(title, 'button title', 20);
    if (problem) return problem;
  }
  return new Set(titles).size === titles.length ? undefined : invalid(131009, 'button titles must be unique');
}

function listProblem(action: Record<string, unknown>): WireProblem | undefined {
  const sections = asArray(action.sections).map(asRecord);
  const rows = sections.flatMap((section) => asArray(section.rows).map(asRecord));
  if (rows.length < 1 || rows.length > 10) return invalid(131009, 'between 1 and 10 rows are allowed in all');
  if (sections.length > 1 && sections.some((section) => !section.title))
    return invalid(131009, 'each section needs a title');
  for (const row of rows) {
    const problem =
      checkText(row.title, 'row title', 24) ??
      checkOptionalText(row.description, 'row description', 72) ??
      checkText(row.id, 'row id', 200);
    if (problem) return problem;
  }
  return checkText(action.button, 'list button', 20);
}

export function instagramProblem(body: Record<string, unknown>): WireProblem | undefined {
  if (typeof field(body, 'recipient', 'id') !== 'string') return invalid(100, 'recipient.id is required');
  if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(String(body.messaging_type)))
    return invalid(100, 'invalid messaging_type');
  if (body.messaging_type === 'MESSAGE_TAG' && body.tag !== 'HUMAN_AGENT')
    return invalid(100, 'MESSAGE_TAG requires tag HUMAN_AGENT');
  const message = asRecord(body.message);
  if (message.attachment) return undefined;
  if (typeof message.text !== 'string' || message.text === '')
    return invalid(100, 'message.text or message.attachment is required');
  if (Buffer.byteLength(message.text, 'utf8') > 1000)
    return invalid(100, 'Length of param message[text] must be less than or equal to 1000');
  return quickRepliesProblem(message.quick_replies);
}

function quickRepliesProblem(value: unknown): WireProblem | undefined {
  if (value === undefined) return undefined;
  const replies = asArray(value).map(asRecord);
  if (replies.length < 1 || replies.length > 13) return invalid(100, 'between 1 and 13 quick replies are allowed');
  for (const reply of replies) {
    if (reply.content_type !== 'text') return invalid(100, 'quick reply content_type must be text');
    const problem =
      checkText(reply.title, 'quick reply title', 20) ?? checkText(reply.payload, 'quick reply payload', 1000);
    if (problem) return problem;
  }
  return undefined;
}

export function recipientOf(body: unknown): string | undefined {
  const to = isRecord(body) ? body.to : undefined;
  if (typeof to === 'string') return to;
  const recipientId = field(body, 'recipient', 'id');
  return typeof recipientId === 'string' ? recipientId : undefined;
}

export function textOf(body: Record<string, unknown>): string | undefined {
  const candidates = [
    field(body, 'text', 'body'),
    field(body, 'interactive', 'body', 'text'),
    field(body, 'document', 'caption'),
    field(body, 'message', 'text'),
  ];
  return candidates.find((candidate): candidate is string => typeof candidate === 'string');
}

// ---- small helpers ----------------------------------------------------------------------

/** Meta counts characters; code points are the closest plain measure. */
function checkText(value: unknown, name: string, max: number): WireProblem | undefined {
  if (typeof value !== 'string' || value === '') return invalid(131008, `${name} is required`);
  return [...value].length > max ? invalid(131009, `${name} must be at most ${max} characters`) : undefined;
}

function checkOptionalText(value: unknown, name: string, max: number): WireProblem | undefined {
  return value === undefined ? undefined : checkText(value, name, max);
}

function invalid(code: number, details: string): WireProblem {
  return { code, details };
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function withoutPlus(to: string): string {
  return to.startsWith('+') ? to.slice(1) : to;
}
