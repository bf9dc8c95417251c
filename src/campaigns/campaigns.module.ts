import { Module } from '@nestjs/common';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { EditionsService } from './editions.service';

@Module({ controllers: [CampaignsController], providers: [CampaignsService, EditionsService], exports: [CampaignsService, EditionsService] })
export class CampaignsModule {}
