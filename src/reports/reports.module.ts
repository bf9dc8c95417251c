import { Module } from '@nestjs/common';
import { ChartRenderer } from './chart-renderer';
import { PdfPrinter } from './pdf-printer';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({ controllers: [ReportsController], providers: [ReportsService, ChartRenderer, PdfPrinter], exports: [ReportsService, ChartRenderer, PdfPrinter] })
export class ReportsModule {}
