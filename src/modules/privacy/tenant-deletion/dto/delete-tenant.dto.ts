import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class DeleteTenantDto {
  @ApiProperty({ description: "The owner's password, entered again to confirm" })
  @IsString()
  @Length(1, 1024)
  password!: string;
}
