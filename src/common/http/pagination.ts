import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError } from '../errors/app-error.js';
import { isUuid } from '../uuid.js';

export const MAX_PAGE_SIZE = 100;

export class PageQuery {
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageSize = (query: PageQuery) => query.limit ?? 50;

/**
 * A keyset position on `(timestamp column, id)` that keeps every digit Postgres stores. A
 * JavaScript Date holds milliseconds while `timestamptz` holds microseconds, so a cursor
 * built from a Date skips (or repeats) rows that share the millisecond of a page's last
 * row. These cursors carry the timestamp as Postgres' own text instead, read by
 * `positionOf` in the same query as the rows. `at` is null only for a nullable sort column
 * whose value is null.
 *
 * The cursor says where a page ended, not which way the list runs: each caller compares
 * `(column, id)` with the position in its own order's direction (`<` newest first, `>`
 * oldest first), casting the text back with `::timestamptz`.
 */
export interface KeysetPosition {
  at: string | null;
  id: string;
}

/** The exact text of a `timestamptz` column, in UTC with six fractional digits. */
export const positionOf = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeKeyset(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/**
 * The position a cursor names, or `invalid_cursor`. A cursor reaches SQL only as bound
 * parameters, and only once it is known to be a real instant and a uuid, so a forged one
 * answers 400 rather than a database error.
 */
export function decodeKeyset(
  cursor: string | undefined,
  options: { nullable?: boolean } = {},
): KeysetPosition | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalidCursor();
  const [at, id] = decoded as unknown[];
  if (!isUuid(id)) throw invalidCursor();
  if (at === null && options.nullable) return { at, id };
  if (typeof at !== 'string' || !isInstant(at)) throw invalidCursor();
  return { at, id };
}

/** Turns `limit + 1` rows, each with its `position` text, into a page. */
export function toKeysetPage<T extends { id: string; position: string | null }, R>(
  rows: T[],
  limit: number,
  view: (row: T) => R,
): Page<R> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last ? encodeKeyset({ at: last.position, id: last.id }) : null,
  };
}

/**
 * Runs an entity query and gives each entity the `position` text of its sort column,
 * selected beside it, ready for `toKeysetPage`. For queries without joins: each raw row
 * is one entity, matched back by its id.
 */
export async function withPositions<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  column: string,
): Promise<(T & { position: string | null })[]> {
  const { entities, raw } = await qb
    .addSelect(positionOf(column), 'position')
    .getRawAndEntities<Record<string, unknown> & { position: string | null }>();
  const positions = new Map(raw.map((row) => [row[`${qb.alias}_id`], row.position]));
  return entities.map((entity) => Object.assign(entity, { position: positions.get(entity.id) ?? null }));
}

function isInstant(text: string): boolean {
  if (!TIMESTAMP.test(text)) return false;
  // Date rolls 2025-02-30 over to March; the round trip refuses what is not a real instant.
  // Postgres has no year 0, which JavaScript accepts.
  const date = new Date(text);
  return (
    !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1 && date.toISOString().slice(0, 23) === text.slice(0, 23)
  );
}

function invalidCursor(): AppError {
  return new AppError('bad_request', 'invalid_cursor', 'The cursor is not valid');
}
