import type { PipeTransform } from '@nestjs/common';
import { Errors } from '../../../../common/errors/app-error.js';
import { strictValidationPipe } from '../../../../common/http/validation.js';
import { CHANNEL_TYPES } from '../entities/channel.entity.js';
import { CREATE_CHANNEL_DTOS, type CreateChannelDto } from './create-channel.dto.js';

/**
 * Validates a new channel against the DTO its `type` names, with the same strict rules as
 * every other body. The global pipe passes the body through untouched, since the
 * parameter's declared type is a union.
 */
export class CreateChannelPipe implements PipeTransform<unknown, Promise<CreateChannelDto>> {
  private readonly strict = strictValidationPipe();

  async transform(value: unknown): Promise<CreateChannelDto> {
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    const metatype = CHANNEL_TYPES.find((known) => known === type);
    if (!metatype) {
      throw Errors.validation('Invalid request: type', {
        fields: { type: [`type must be one of: ${CHANNEL_TYPES.join(', ')}`] },
      });
    }
    return (await this.strict.transform(value, {
      type: 'body',
      metatype: CREATE_CHANNEL_DTOS[metatype],
    })) as CreateChannelDto;
  }
}
