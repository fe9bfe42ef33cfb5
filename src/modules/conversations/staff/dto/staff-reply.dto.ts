import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class StaffReplyDto {
  @ApiProperty({ minLength: 1, maxLength: 4096, description: 'Sent to the customer as written' })
  @IsString()
  @Length(1, 4096)
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;
}
