import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser } from '../common/decorators';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiQuery({ name: 'member', required: false })
  @ApiOperation({ summary: 'connected accounts (coordinators and comms: their member only); never a token' })
  list(@CurrentUser() user: AuthUser, @Query('member') member?: string) {
    return this.accounts.list(user, typeof member === 'string' && member ? member : undefined);
  }
}
