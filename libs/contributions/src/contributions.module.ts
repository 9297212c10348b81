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

@Module({
  imports: [
    TypeOrmModule.forFeature([ContributionEntity, ContributionRevisionEntity, EndorsementEntity, IdempotencyKeyEntity]),
    AccountsModule,
    ConsultationsModule,
    DocumentsModule,
  ],
  controllers: [ContributionsController],
  providers: [ContributionsRepository, ContributionsService],
  exports: [ContributionsService],
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
