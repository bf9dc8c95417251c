import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser } from '../common/decorators';
import { EditPostDto } from './dto/edit-post.dto';
import { ListPostsQuery } from './dto/list-posts.query';
import { ReopenPostDto } from './dto/reopen-post.dto';
import { PostsService } from './posts.service';

@ApiTags('posts')
@ApiBearerAuth()
@Controller('api')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get('campaigns/:slug/posts')
  list(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Query() query: ListPostsQuery) {
    return this.posts.list(user, slug, query);
  }

  @Get('posts/:id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number) {
    return this.posts.get(user, id);
  }

  @Get('posts/:id/history')
  history(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number) {
    return this.posts.history(user, id);
  }

  @Patch('posts/:id')
  edit(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: EditPostDto) {
    return this.posts.edit(user, id, body);
  }

  @Post('posts/:id/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'a missed or failed post back to draft at a new local time in the future (comms of the member, or secretariat); its approvals are gone' })
  reopen(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number, @Body() body: ReopenPostDto) {
    return this.posts.reopen(user, id, body);
  }
}
