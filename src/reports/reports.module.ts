import { Module } from '@nestjs/common';
import { ChartRenderer } from './chart-renderer';
import { PdfPrinter } from './pdf-printer';
import { ReportLinksService } from './report-links.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({ controllers: [ReportsController], providers: [ReportsService, ChartRenderer, PdfPrinter, ReportLinksService], exports: [ReportsService, ChartRenderer, PdfPrinter, ReportLinksService] })
export class ReportsModule {}
