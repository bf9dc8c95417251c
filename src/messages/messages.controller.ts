import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/decorators';
import { ReviewMessageDto, SaveMessageDto } from './dto/save-message.dto';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('api/campaigns/:slug/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @ApiOperation({ summary: 'every message × locale of the campaign: source text, translation, revision, review state, fallback (coordinators and comms: their member\'s locales)' })
  list(@CurrentUser() user: AuthUser, @Param('slug') slug: string) {
    return this.messages.list(user, slug);
  }

  @Get(':key/:locale')
  get(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('key') key: string, @Param('locale') locale: string) {
    return this.messages.get(user, slug, key, locale);
  }

  @Get(':key/:locale/history')
  history(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('key') key: string, @Param('locale') locale: string) {
    return this.messages.history(user, slug, key, locale);
  }

  @Put(':key/:locale')
  @Roles('secretariat')
  @ApiOperation({ summary: 'saves a message\'s text (compiled strictly as at import) and re-plans every active campaign using its folder: only posts whose text changes lose their approvals' })
  save(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('key') key: string, @Param('locale') locale: string, @Body() body: SaveMessageDto) {
    return this.messages.save(user, slug, key, locale, body);
  }

  @Post(':key/:locale/review')
  @HttpCode(200)
  @Roles('secretariat', 'coordinator')
  @ApiOperation({ summary: 'national review of a translation: reviewed (bound to the text reviewed: an edit needs review again) or returned with a comment; coordinators: their member\'s locales only' })
  review(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Param('key') key: string, @Param('locale') locale: string, @Body() body: ReviewMessageDto) {
    return this.messages.review(user, slug, key, locale, body);
  }
}
