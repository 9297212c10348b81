import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@plenary/accounts';
import { ConsultationsModule } from '@plenary/consultations';
import { ContributionsModule } from '@plenary/contributions';
import { DocumentsModule } from '@plenary/documents';
import { ModerationModule } from '@plenary/moderation';
import { ReportEntity } from './report.entity';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { PdfPrinter } from './pdf';
import { OpenDataService } from './open-data.service';
import { ReportServing } from './report-serving';
import { ReportExportsService } from './report-exports.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ReportEntity]),
    AccountsModule,
    ConsultationsModule,
    DocumentsModule,
    ContributionsModule,
    ModerationModule,
  ],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService, ReportServing, ReportExportsService, OpenDataService, PdfPrinter],
  exports: [ReportsService],
})
export class ReportsModule {}
