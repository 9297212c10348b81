import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReportEntity } from './report.entity';

/**
 * The SQL of reports: the `reports` table only (append-only in the database). The figures a report holds are read
 * through the owners' read models (contributions, clusters, paragraphs), never from their tables here.
 */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  insert(row: Omit<ReportEntity, 'id' | 'createdAt'>): Promise<ReportEntity> {
    return this.ds.manager.save(this.ds.manager.create(ReportEntity, row));
  }

  find(id: string): Promise<ReportEntity | null> {
    return this.ds.manager.findOne(ReportEntity, { where: { id } });
  }

  /** The reports of a consultation, newest first, without their data. */
  list(consultationId: string): Promise<ReportEntity[]> {
    return this.ds.manager.find(ReportEntity, {
      where: { consultationId },
      order: { createdAt: 'DESC' },
      select: {
        id: true,
        consultationId: true,
        roundId: true,
        inputs: true,
        contentHash: true,
        createdAt: true,
        createdBy: true,
      },
    });
  }
}
