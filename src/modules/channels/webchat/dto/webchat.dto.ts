import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

export const MAX_WEBCHAT_TEXT = 2000;
export const MAX_LONG_POLL_SECONDS = 25;

export class SendWebchatMessageDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_WEBCHAT_TEXT, example: 'menu' })
  @IsString()
  @Length(1, MAX_WEBCHAT_TEXT)
  @Matches(/\S/u, { message: '$property must not be blank' })
  text!: string;

  @ApiProperty({
    description: 'Chosen by the client, unique within the session: resending the same id is a no-op',
    minLength: 1,
    maxLength: 100,
    pattern: '^[A-Za-z0-9._:-]+$',
    example: 'msg-1718712345-1',
  })
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: '$property may hold only letters, digits and . _ : -' })
  clientMessageId!: string;
}

export class PollRepliesQuery {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous answer; from the start when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;

  @ApiPropertyOptional({
    description: 'Seconds to wait for a reply when there is none yet (long-poll)',
    minimum: 0,
    maximum: MAX_LONG_POLL_SECONDS,
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_LONG_POLL_SECONDS)
  wait?: number;
}

export class WebchatSessionView {
  @ApiProperty({
    description: "The customer's identity in this chat: send it as `Authorization: Bearer …`. Shown once.",
  })
  sessionToken!: string;
}

export class WebchatAcceptedView {
  @ApiProperty({ enum: [true] })
  accepted!: true;
}

export class WebchatReplyItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['out'] }) direction!: 'out';
  @ApiProperty({ description: 'The reply as plain text' }) text!: string;
  @ApiProperty({
    description: 'The reply as sent: text (with optional buttons), list, document',
    type: 'object',
    additionalProperties: true,
  })
  content!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WebchatRepliesView {
  @ApiProperty({ type: [WebchatReplyItem] }) items!: WebchatReplyItem[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` next time' }) nextCursor!: string | null;
}
