import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { ListPostsQuery } from '../../posts/dto/list-posts.query';

/** The posts list's filters (same rules, same messages), plus the token calendar clients put in the URL. */
export class CalendarExportQuery extends PickType(ListPostsQuery, ['member', 'network', 'locale', 'status'] as const) {
  @ApiPropertyOptional({ description: 'a user token or a calendar token, for clients that cannot send an Authorization header' })
  @IsOptional()
  @IsString()
  token?: string;
}
