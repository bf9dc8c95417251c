import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

const NOT_BLANK = /\S/;

export class MessageRevisionDto {
  @ApiProperty({ description: 'the revision of the message the caller last read (0 while it was never changed in the browser)' })
  @IsInt()
  @Min(0)
  revision!: number;
}

export class SaveMessageDto extends MessageRevisionDto {
  @ApiProperty({ description: 'the message template (Handlebars, compiled strictly as the template files are)' })
  @IsString()
  @MaxLength(10000)
  @Matches(NOT_BLANK, { message: 'text must not be empty' })
  text!: string;

  @ApiPropertyOptional({ description: 'the short form, used where the text is over a network\'s limit; omitted: kept as it is; empty or null: none', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  short?: string | null;
}

export const REVIEW_DECISIONS = ['reviewed', 'returned'] as const;

export class ReviewMessageDto extends MessageRevisionDto {
  @ApiProperty({ enum: REVIEW_DECISIONS, description: '`reviewed`: the translation is right; `returned`: sent back to the secretariat with a comment' })
  @IsIn(REVIEW_DECISIONS)
  decision!: (typeof REVIEW_DECISIONS)[number];

  @ApiPropertyOptional({ description: 'what to change (required when returned)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
