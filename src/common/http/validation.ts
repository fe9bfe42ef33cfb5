import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { Errors } from '../errors/app-error.js';

/**
 * No request body of ours nests deeper than this. class-transformer recurses once per
 * level, so a 60 KB body of `{"a":{"a":…}}` would otherwise overflow the stack (a 500).
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Strict input: unknown fields are refused, not silently dropped, and every failure
 * names its field so a client can fix the request.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ShallowInputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const names = Object.keys(fields);
      return Errors.validation(`Invalid request: ${names.join(', ')}`, { fields });
    },
  });
}

class ShallowInputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (nestsDeeperThan(value, MAX_INPUT_DEPTH))
      throw Errors.validation('Invalid request: nested too deeply', { maxDepth: MAX_INPUT_DEPTH });
    return super.transform(value, metadata);
  }
}

/** More than `maxDepth` levels of objects or arrays; walks with a stack, so it cannot overflow one. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

function flatten(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) out[path] = Object.values(error.constraints);
    Object.assign(out, flatten(error.children ?? [], path));
  }
  return out;
}
