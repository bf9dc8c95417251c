import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';

export class RevisionDto {
  @ApiProperty({ description: 'the revision the caller last read' })
  @IsInt()
  @Min(1)
  revision!: number;
}

export class ApproveDto extends RevisionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RejectDto extends RevisionDto {
  @ApiProperty({ description: 'what to change (required)' })
  @IsString()
  @MaxLength(2000)
  comment!: string;
}

export class PostRevisionDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  id!: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  revision!: number;
}

/** A whole week at once: every post moves, or none does. */
export class BulkApprovalDto {
  @ApiProperty({ type: [PostRevisionDto] })
  @ValidateNested({ each: true })
  @Type(() => PostRevisionDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  items!: PostRevisionDto[];

  @ApiPropertyOptional({ description: 'required when rejecting' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
