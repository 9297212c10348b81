import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@plenary/accounts';
import { ConsultationsModule } from '@plenary/consultations';
import { DocumentReadExtensions, DocumentsModule } from '@plenary/documents';
import {
  ContributionEntity,
  ContributionRevisionEntity,
  EndorsementEntity,
  IdempotencyKeyEntity,
} from './contribution.entity';
import { ContributionsController } from './contributions.controller';
import { ContributionsRepository } from './contributions.repository';
import { ContributionsService } from './contributions.service';
import { ContributionTargets } from './contribution-targets';
import { ContributionRecordsRepository } from './records/contribution-records.repository';
import { ContributionRecordsService } from './records/contribution-records.service';
import { ContributionStatsRepository } from './read-model/contribution-stats.repository';
import { ContributionStatsService } from './read-model/contribution-stats.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ContributionEntity, ContributionRevisionEntity, EndorsementEntity, IdempotencyKeyEntity]),
    AccountsModule,
    ConsultationsModule,
    DocumentsModule,
  ],
  controllers: [ContributionsController],
  providers: [
    ContributionsRepository,
    ContributionTargets,
    ContributionsService,
    ContributionRecordsRepository,
    ContributionRecordsService,
    ContributionStatsRepository,
    ContributionStatsService,
  ],
  exports: [ContributionsService, ContributionRecordsService, ContributionStatsService],
})
export class ContributionsModule implements OnModuleInit {
  constructor(
    private readonly extensions: DocumentReadExtensions,
    private readonly contributions: ContributionsService,
  ) {}

  /** The document view shows per-paragraph counts; documents cannot import us, so we hand them the source. */
  onModuleInit(): void {
    this.extensions.useCounts((documentId) => this.contributions.documentCounts(documentId));
    this.extensions.useCitations((documentId) => this.contributions.acceptedByLineage(documentId));
  }
}
