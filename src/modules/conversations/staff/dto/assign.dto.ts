import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, ValidateIf } from 'class-validator';

export class AssignDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'A member of this business, or null to unassign (the conversation then waits for auto-assignment)',
  })
  // Required: null unassigns, and a missing field must not be read as null.
  @ValidateIf((dto: AssignDto) => dto.userId !== null)
  @IsUUID('all')
  userId!: string | null;
}
