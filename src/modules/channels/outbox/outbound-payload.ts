/**
 * What a reply is, independent of the channel that carries it. Each channel renders it
 * with what it supports (WhatsApp interactive lists, Instagram quick replies, web chat).
 */
export interface ReplyButton {
  id: string;
  title: string;
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export type OutboundPayload =
  | { kind: 'text'; text: string; buttons?: ReplyButton[] }
  | { kind: 'list'; text: string; button: string; header?: string; footer?: string; rows: ListRow[] }
  | { kind: 'document'; link: string; filename: string; caption?: string }
  | { kind: 'template'; name: string; languageCode: string; bodyParams: string[] };

/** The words of a payload, for the transcript and for channels without rich messages. */
export function plainText(payload: OutboundPayload): string {
  switch (payload.kind) {
    case 'text':
      return payload.text;
    case 'list':
      return [
        payload.header,
        payload.text,
        ...payload.rows.map((row) => `• ${row.title}${row.description ? ` — ${row.description}` : ''}`),
        payload.footer,
      ]
        .filter(Boolean)
        .join('\n');
    case 'document':
      return [payload.caption, payload.link].filter(Boolean).join('\n');
    case 'template':
      return `[template ${payload.name}] ${payload.bodyParams.join(' · ')}`;
  }
}
