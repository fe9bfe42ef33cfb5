import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export const AVAILABILITY = ['available', 'away'] as const;
export type Availability = (typeof AVAILABILITY)[number];

export class PutAvailabilityDto {
  @ApiProperty({ enum: AVAILABILITY, description: 'Whether auto-assignment gives you new conversations' })
  @IsIn(AVAILABILITY)
  status!: Availability;
}
