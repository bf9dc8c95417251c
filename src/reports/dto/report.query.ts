import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ListPostsQuery } from '../../posts/dto/list-posts.query';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export const DEFAULT_ON_TIME_SECONDS = 900;
export const REPORT_TABLES = ['rows', 'themes', 'locales', 'best-posts'] as const;
export const BEST_POSTS_PER_WEEK = 5;

/** The report's filters: a member (the posts list's rule and message) and the on-time tolerance. */
export class ReportQuery extends PickType(ListPostsQuery, ['member'] as const) {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: (typeof REPORT_FORMATS)[number];

  @ApiPropertyOptional({ description: 'a published post is on time within this many seconds of its scheduled time', default: DEFAULT_ON_TIME_SECONDS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  onTimeSeconds?: number;

  @ApiPropertyOptional({ enum: REPORT_TABLES, default: 'rows', description: 'format=csv only: the report rows, responses per theme or per locale, or the best posts of each week' })
  @IsOptional()
  @IsIn(REPORT_TABLES)
  table?: (typeof REPORT_TABLES)[number];

  @ApiPropertyOptional({ description: 'how many of the posts with the most responses each week lists', default: BEST_POSTS_PER_WEEK })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  bestPerWeek?: number;
}
