import { isUuid } from '../../../common/uuid.js';
import { WebchatErrors } from './webchat.errors.js';

/**
 * Where a reply sits in the transcript: its `created_at` exactly as Postgres stores it (UTC,
 * microseconds) and its id. A JavaScript Date would round to milliseconds, and a cursor that
 * rounds down would hand the same reply out twice.
 */
export interface ReplyPosition {
  at: string;
  id: string;
}

const POSITION_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The SQL that renders `created_at` in the cursor's form. */
export const POSITION_SQL = `to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeReplyCursor(position: ReplyPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/** Undefined for no cursor; a cursor that is not one of ours is refused. */
export function decodeReplyCursor(cursor: string | undefined): ReplyPosition | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw WebchatErrors.invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw WebchatErrors.invalidCursor();
  const [at, id] = decoded as unknown[];
  if (typeof at !== 'string' || !POSITION_TIME.test(at) || Number.isNaN(Date.parse(at)) || !isUuid(id))
    throw WebchatErrors.invalidCursor();
  return { at, id };
}
