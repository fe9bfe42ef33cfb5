import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class PutInboxSettingsDto {
  @ApiProperty({
    minimum: 1,
    maximum: 100,
    description: 'Open (escalated or human) conversations auto-assignment gives one person at most',
  })
  @IsInt()
  @Min(1)
  @Max(100)
  maxOpenPerAgent!: number;
}
