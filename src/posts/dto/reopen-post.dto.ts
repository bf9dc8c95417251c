import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export class ReopenPostDto {
  @ApiProperty({ description: 'the revision the caller last read' })
  @IsInt()
  @Min(1)
  revision!: number;

  @ApiProperty({ description: "the new local wall time in the member's zone; it must lie in the future", example: '2027-10-29T11:00' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a local date-time YYYY-MM-DDTHH:mm (no offset: the member\'s zone applies)' })
  localTime!: string;

  @ApiPropertyOptional({ description: 'why it is reopened (kept in the history)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
