import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { IsLocalWallTime } from '../../time/time.validators';

export class ReopenPostDto {
  @ApiProperty({ description: 'the revision the caller last read' })
  @IsInt()
  @Min(1)
  revision!: number;

  @ApiProperty({ description: "the new local wall time in the member's zone, in the future and within the campaign's dates", example: '2027-10-29T11:00' })
  @IsLocalWallTime()
  localTime!: string;

  @ApiPropertyOptional({ description: 'why it is reopened (kept in the history)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
