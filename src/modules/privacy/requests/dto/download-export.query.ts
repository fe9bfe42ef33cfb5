import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class DownloadExportQuery {
  @ApiProperty({ description: 'The signed token from the request’s downloadUrl' })
  @IsString()
  @MaxLength(200)
  token!: string;
}
