import { decodeKeyset, encodeKeyset, positionOf } from '../../../common/http/pagination.js';

/**
 * Where a reply sits in the transcript: its `created_at` exactly as Postgres stores it
 * and its id — the project's one keyset cursor, applied to the web chat's replies.
 */
export interface ReplyPosition {
  at: string;
  id: string;
}

/** The SQL that renders `created_at` in the cursor's form. */
export const POSITION_SQL = positionOf('m.created_at');

export const encodeReplyCursor = (position: ReplyPosition): string => encodeKeyset(position);

/** Undefined for no cursor; a cursor that is not one of ours is refused (`invalid_cursor`). */
export function decodeReplyCursor(cursor: string | undefined): ReplyPosition | undefined {
  const position = decodeKeyset(cursor);
  return position && position.at !== null ? { at: position.at, id: position.id } : undefined;
}
