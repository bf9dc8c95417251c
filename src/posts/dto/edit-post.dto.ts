import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { IsLocalWallTime } from '../../time/time.validators';

export class EditPostDto {
  @ApiProperty({ description: 'the revision the edit was made on' })
  @IsInt()
  @Min(1)
  revision!: number;

  @ApiPropertyOptional({ description: 'new text, plain (no HTML)' })
  @IsOptional()
  @IsString()
  @Length(1, 63206)
  text?: string;

  @ApiPropertyOptional({ description: "new local wall time in the member's zone, within the campaign's dates", example: '2021-10-29T11:00' })
  @IsOptional()
  @IsLocalWallTime()
  localTime?: string;
}
