import { Module } from '@nestjs/common';
import { ChartRenderer } from './chart-renderer';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({ controllers: [ReportsController], providers: [ReportsService, ChartRenderer], exports: [ReportsService, ChartRenderer] })
export class ReportsModule {}
