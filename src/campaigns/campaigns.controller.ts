import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/decorators';
import { CampaignsService } from './campaigns.service';
import { EditionsService } from './editions.service';

const CAMPAIGN_BODY = {
  description: 'the campaign object (the same as a campaigns/*.yaml file, as JSON); see contract.md',
  schema: { type: 'object', example: { slug: 'natc-see-2021', name: 'End impunity', start: '2021-10-18', end: '2021-11-07', defaultLocale: 'en', slots: [{ time: '10:00' }], themes: [], members: [] } },
};

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly editions: EditionsService,
  ) {}

  @Get()
  list() {
    return this.campaigns.list();
  }

  @Get(':slug')
  get(@CurrentUser() user: AuthUser, @Param('slug') slug: string) {
    return this.campaigns.get(user, slug);
  }

  @Get(':slug/coverage')
  @ApiOperation({ summary: 'translation coverage per locale: messages translated, still needing review, missing (default locale used)' })
  coverage(@Param('slug') slug: string) {
    return this.campaigns.coverage(slug);
  }

  @Post()
  @Roles('secretariat')
  @ApiBody(CAMPAIGN_BODY)
  create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.campaigns.create(body, user);
  }

  @Put(':slug')
  @Roles('secretariat')
  @ApiBody(CAMPAIGN_BODY)
  @ApiQuery({ name: 'ifUpdatedAt', required: false, description: 'the `token` of a replan-preview (the campaign\'s updatedAt): 409 if the campaign changed since' })
  replan(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() body: unknown, @Query('ifUpdatedAt') ifUpdatedAt?: string) {
    return this.campaigns.replan(slug, body, user, { expectedUpdatedAt: ifUpdatedAt });
  }

  @Post(':slug/replan-preview')
  @Roles('secretariat')
  @HttpCode(200)
  @ApiOperation({ summary: 'what PUT /api/campaigns/:slug would do with this object (posts added, changed, cancelled, approvals reset), changing nothing' })
  @ApiBody(CAMPAIGN_BODY)
  previewReplan(@Param('slug') slug: string, @Body() body: unknown) {
    return this.campaigns.previewReplan(slug, body);
  }

  @Post(':slug/editions')
  @Roles('secretariat')
  @ApiOperation({ summary: 'a new campaign: every date of this one moved by whole weeks (weekdays stay), the same members, channels, slots and templates; its facts flagged for review' })
  @ApiBody({ schema: { type: 'object', required: ['slug', 'start'], example: { slug: 'natc-see-2028', start: '2028-10-16', name: 'End impunity — EU Anti-Trafficking Day 2028' } } })
  createEdition(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() body: unknown) {
    return this.editions.create(slug, body, user);
  }
}
