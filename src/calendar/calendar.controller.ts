import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser, Public } from '../common/decorators';
import { CalendarTokensService } from './calendar-tokens.service';
import { CalendarService } from './calendar.service';
import { CalendarExportQuery } from './dto/calendar-export.query';
import { CreateCalendarTokenDto } from './dto/create-calendar-token.dto';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('api')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly tokens: CalendarTokensService,
  ) {}

  // @Public(): calendar clients send the token as ?token=, so the service authenticates these two itself.
  @Public()
  @Get('campaigns/:slug/calendar.ics')
  @ApiOperation({ summary: 'every post the filters select, one VEVENT each (UTC times, stable UIDs); token in the header or ?token=' })
  ics(@Param('slug') slug: string, @Query() query: CalendarExportQuery, @Req() request: Request, @Res() response: Response) {
    return this.calendar.export('ics', slug, query, request, response);
  }

  @Public()
  @Get('campaigns/:slug/calendar.csv')
  @ApiOperation({ summary: 'every post the filters select, one row each (UTF-8 with BOM, RFC 4180)' })
  csv(@Param('slug') slug: string, @Query() query: CalendarExportQuery, @Req() request: Request, @Res() response: Response) {
    return this.calendar.export('csv', slug, query, request, response);
  }

  @Post('calendar-tokens')
  @ApiOperation({ summary: 'a read-only token for calendar subscriptions, shown once (with the subscription URL when a campaign is given)' })
  createToken(@CurrentUser() user: AuthUser, @Body() body: CreateCalendarTokenDto) {
    return this.tokens.create(user, body.campaign);
  }

  @Get('calendar-tokens')
  @ApiOperation({ summary: "the caller's active calendar tokens (never their values)" })
  listTokens(@CurrentUser() user: AuthUser) {
    return this.tokens.list(user);
  }

  @Delete('calendar-tokens/:id')
  @HttpCode(204)
  revokeToken(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number) {
    return this.tokens.revoke(user, id);
  }
}
