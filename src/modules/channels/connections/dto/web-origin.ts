import { ValidateBy, type ValidationOptions } from 'class-validator';

const MAX_ORIGIN_LENGTH = 255;

/**
 * The serialised origin of an http(s) URL that names only an origin (`https://shop.example`,
 * any case, an optional trailing slash), or undefined. A path, query, fragment or credentials
 * make it undefined: browsers send the bare origin, and anything more would never match.
 */
export function toWebOrigin(value: string): string | undefined {
  if (value.length > MAX_ORIGIN_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  const web = url.protocol === 'https:' || url.protocol === 'http:';
  return bare && web ? url.origin : undefined;
}

/** Rewrites each origin in its serialised form before validation, so equal origins compare equal. */
export const normaliseOrigins = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? (toWebOrigin(item) ?? item) : item)) : value;

/** A value already in the serialised form of an http(s) origin. */
export function IsWebOrigin(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWebOrigin',
      validator: {
        validate: (value) => typeof value === 'string' && toWebOrigin(value) === value,
        defaultMessage: () => 'each value in $property must be an http(s) origin such as https://shop.example',
      },
    },
    options,
  );
}
