import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module';
import { AccountsModule } from '../accounts/accounts.module';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { EditionsService } from './editions.service';

@Module({ imports: [AccountsModule, MediaModule], controllers: [CampaignsController], providers: [CampaignsService, EditionsService], exports: [CampaignsService, EditionsService] })
export class CampaignsModule {}
