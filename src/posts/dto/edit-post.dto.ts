import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

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

  @ApiPropertyOptional({ description: "new local wall time in the member's zone", example: '2021-10-29T11:00' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a local date-time YYYY-MM-DDTHH:mm (no offset: the member\'s zone applies)' })
  localTime?: string;
}
