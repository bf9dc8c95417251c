import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsInstant } from '../../time/time.validators';
import { NETWORKS } from '../length';
import { POST_STATUSES } from '../post-status';

export class ListPostsQuery {
  @ApiPropertyOptional({ example: 'SI' })
  @IsOptional()
  @Matches(/^[A-Z]{2,3}$/, { message: 'must be a member code such as SI' })
  member?: string;

  @ApiPropertyOptional({ enum: NETWORKS })
  @IsOptional()
  @IsIn(NETWORKS)
  network?: string;

  @ApiPropertyOptional({ example: 'sl' })
  @IsOptional()
  @IsString()
  locale?: string;

  @ApiPropertyOptional({ enum: POST_STATUSES })
  @IsOptional()
  @IsIn(POST_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'policy' })
  @IsOptional()
  @IsString()
  theme?: string;

  @ApiPropertyOptional({ description: 'instant (ISO 8601), inclusive', example: '2021-10-29T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'instant (ISO 8601), exclusive', example: '2021-11-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
