import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsLocalWallTime } from '../../time/time.validators';

/** One image of a post: an uploaded image (POST /api/media) and its alt text in the post's language. */
export class PostMediaInputDto {
  @ApiProperty({ description: 'the id POST /api/media answered' })
  @IsInt()
  @Min(1)
  id!: number;

  @ApiPropertyOptional({ description: "alt text in the post's language; may be empty in a draft, required to submit", default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  alt?: string;
}

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

  @ApiPropertyOptional({ type: [PostMediaInputDto], description: 'the images of the post, in order, replacing the current ones ([] removes all)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PostMediaInputDto)
  media?: PostMediaInputDto[];
}
