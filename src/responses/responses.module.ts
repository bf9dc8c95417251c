import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PublishingModule } from '../publishing/publishing.module';
import { ResponseCollector } from './response-collector.service';

/** Response figures read from the networks (issue 15 #2); the report reads what they stored. */
@Module({ imports: [PublishingModule, AccountsModule], providers: [ResponseCollector], exports: [ResponseCollector] })
export class ResponsesModule {}
