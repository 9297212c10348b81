import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@plenary/accounts';
import { ConsultationsModule } from '@plenary/consultations';
import { DocumentsModule } from '@plenary/documents';
import { ModerationModule } from '@plenary/moderation';
import { ReportEntity } from './report.entity';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { PdfPrinter } from './pdf';

@Module({
  imports: [TypeOrmModule.forFeature([ReportEntity]), AccountsModule, ConsultationsModule, DocumentsModule, ModerationModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService, PdfPrinter],
  exports: [ReportsService],
})
export class ReportsModule {}
