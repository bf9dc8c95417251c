import { Module } from '@nestjs/common';
import { AccountAlerts } from './account-alerts.service';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({ controllers: [AccountsController], providers: [AccountsService, AccountAlerts], exports: [AccountsService, AccountAlerts] })
export class AccountsModule {}
